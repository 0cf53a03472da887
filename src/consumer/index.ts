export * from './private-link-consumer-props';
export * from './private-link-consumer';
