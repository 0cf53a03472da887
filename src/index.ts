export * from './provider';
export * from './consumer';
export * from './compliance';
export * from './monitoring';
