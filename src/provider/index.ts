export * from './api-interface';
export * from './api-service-options';
export { ApiService } from './api-service';
export * from './ecs-privatelink-api-props';
export * from './mutual-tls-options';
export { EcsPrivateLinkApi } from './ecs-privatelink-api';
export * from './connection-acceptor';
export * from './endpoint-service-teardown';
export * from './endpoint-service-function-props';
