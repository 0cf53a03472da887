export * from './api-monitoring-props';
export * from './api-monitoring';
