export * from './api-service-options';
export * from './ecs-privatelink-api-props';
export * from './ecs-privatelink-api';
