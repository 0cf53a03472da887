export * from './nag';
export * from './validation';
export * from './descriptions';
export * from './ipv6';
export * from './inline-handler';
export * from './library-function';
export * from './logs-encryption';
export * from './alarms';
