export * from './private-link-checks';
