export * from './private-link-consumer-props';
export * from './private-link-consumer';
export * from './private-link-probe-props';
export * from './private-link-probe';
