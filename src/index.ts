export * from './provider';
export * from './consumer';
