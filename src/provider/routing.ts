import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { IEcsPrivateLinkApi } from './api-interface';

/** A service's routing rule, as far as it is known at synth time. */
export interface RouteConditions {
  /** The service's construct path, for messages. */
  readonly path: string;
  readonly pathPatterns?: string[];
  readonly hostHeaders?: string[];
  readonly priority: number;
}

/**
 * What the services of one API share and must agree on: the listener-rule priorities, who
 * answers unmatched requests, the routing conditions, and one log group.
 *
 * Kept beside the API (keyed by it) rather than on its public surface, so that `ApiService`
 * depends on `IEcsPrivateLinkApi` only.
 */
export class ApiRoutes {
  /** The API's services, in the order they were added. */
  public readonly services: IConstruct[] = [];
  /** The routed services' conditions, in the order they were added. */
  public readonly routes: RouteConditions[] = [];
  private readonly priorities = new Map<number, string>();
  private defaultOwner?: string;
  private logGroup?: logs.LogGroup;

  /**
   * @param createLogGroup makes the services' log group when the first service needs it
   */
  constructor(private readonly createLogGroup: () => logs.LogGroup) {}

  /** Who answers requests no rule matches, if anyone yet. */
  public get defaultRoute(): string | undefined {
    return this.defaultOwner;
  }

  public set defaultRoute(owner: string | undefined) {
    this.defaultOwner = owner;
  }

  /** The priority a service would get: `priority`, or the next free multiple of 10. */
  public nextPriority(priority?: number): number {
    if (priority !== undefined) {
      return priority;
    }
    let next = 10 * (this.priorities.size + 1);
    while (this.priorities.has(next)) {
      next += 10;
    }
    return next;
  }

  /** Who holds `priority`, if anyone. */
  public priorityOwner(priority: number): string | undefined {
    return this.priorities.get(priority);
  }

  /** Records a routed service's rule. */
  public addRoute(route: RouteConditions): void {
    this.priorities.set(route.priority, route.path);
    this.routes.push(route);
  }

  /** The log group shared by the services' containers, created on first use. */
  public serviceLogGroup(): logs.ILogGroup {
    this.logGroup ??= this.createLogGroup();
    return this.logGroup;
  }

  /** The shared log group, if a service created it. */
  public get existingLogGroup(): logs.ILogGroup | undefined {
    return this.logGroup;
  }
}

const ROUTES = new WeakMap<IEcsPrivateLinkApi, ApiRoutes>();

/**
 * The shared routing state of `api`, created on first use (with a log group in the API's
 * scope) unless the API registered its own with `registerRoutes`.
 */
export function routesOf(api: IEcsPrivateLinkApi): ApiRoutes {
  let routes = ROUTES.get(api);
  if (!routes) {
    routes = new ApiRoutes(() => new logs.LogGroup(api, 'Logs', { retention: api.logRetention }));
    ROUTES.set(api, routes);
  }
  return routes;
}

/** Registers the routing state of an API that builds its own log group. */
export function registerRoutes(api: IEcsPrivateLinkApi, routes: ApiRoutes): ApiRoutes {
  ROUTES.set(api, routes);
  return routes;
}
