import { Token } from 'aws-cdk-lib';
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

  /** Reserves `priority` for a rule of the API itself (not a service's). */
  public reservePriority(priority: number, owner: string): void {
    this.priorities.set(priority, owner);
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

/** The lowest-precedence priority an ALB rule can have; the API's own health-check rule takes it. */
export const LAST_PRIORITY = 50000;

/** Whether `path` matches an ALB path pattern (`*`: any characters, `?`: one character). */
export function matchesPathPattern(path: string, pattern: string): boolean {
  const regex = pattern.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${regex}$`).test(path);
}

/**
 * Whether the NLB's health check, which carries no Host header the API's rules expect and
 * requests `healthCheckPath`, would miss the first service's rule and get the 404 default
 * (`notFoundResponse`): then the API adds a path-only rule for that path.
 */
export function healthCheckMissesRoute(healthCheckPath: string, pathPatterns?: string[], hostHeaders?: string[]): boolean {
  if (hostHeaders !== undefined) {
    return true;
  }
  if (pathPatterns === undefined || Token.isUnresolved(healthCheckPath)) {
    return false;
  }
  return !pathPatterns.some(p => Token.isUnresolved(p) || matchesPathPattern(healthCheckPath, p));
}

/** The path-pattern value that matches a health-check path: its path, without the query. */
export function healthCheckPathPattern(healthCheckPath: string): string {
  return healthCheckPath.split('?')[0];
}

/**
 * Whether every request `inner`'s conditions match also matches `outer`'s, as far as that is
 * decidable at synth time (false when unsure). ALB evaluates rules lowest priority first, so an
 * `outer` rule with a lower priority number leaves `inner` nothing.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
 */
export function routeCovers(outer: RouteConditions, inner: RouteConditions): boolean {
  return valuesCover(outer.pathPatterns, inner.pathPatterns, patternCovers) &&
    valuesCover(lower(outer.hostHeaders), lower(inner.hostHeaders), patternCovers);
}

/** Whether two routes have the same conditions (the order of values aside; host headers ignore case). */
export function sameRoute(a: RouteConditions, b: RouteConditions): boolean {
  const key = (values?: string[]) => values === undefined ? '*' : JSON.stringify([...new Set(values)].sort());
  return key(a.pathPatterns) === key(b.pathPatterns) && key(lower(a.hostHeaders)) === key(lower(b.hostHeaders));
}

function lower(values?: string[]): string[] | undefined {
  return values?.map(v => v.toLowerCase());
}

/** `outer` values (or none: anything) cover `inner` values (or none: anything). */
function valuesCover(outer: string[] | undefined, inner: string[] | undefined, covers: (o: string, i: string) => boolean): boolean {
  if (outer === undefined) {
    return true;
  }
  if (inner === undefined || [...outer, ...inner].some(v => Token.isUnresolved(v))) {
    return false;
  }
  return inner.every(i => outer.some(o => covers(o, i)));
}

/** Whether every value pattern `inner` matches is matched by pattern `outer`. */
function patternCovers(outer: string, inner: string): boolean {
  if (!/[*?]/.test(inner)) {
    return matchesPathPattern(inner, outer);
  }
  const star = outer.indexOf('*');
  // `/api*` covers `/api/v1/*`; any other pair of wildcard patterns only when equal.
  return outer === inner || (star === outer.length - 1 && !/[*?]/.test(outer.slice(0, star)) && inner.startsWith(outer.slice(0, star)));
}
