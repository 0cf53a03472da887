export * from './nag';
export * from './validation';
