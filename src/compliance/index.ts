export * from './nag-findings';
