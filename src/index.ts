export * from './provider';
export * from './consumer';
export * from './compliance';
export * from './checks';
export * from './monitoring';
