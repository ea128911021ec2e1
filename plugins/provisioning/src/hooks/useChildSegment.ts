import {
  RouteRef,
  useAppLocation,
  useRouteRef,
} from '@backstage/frontend-plugin-api';

/**
 * The path segment right below a tab's route, e.g. `r42` in
 * `/self-service/requests/r42` for the "My resources" tab.
 *
 * @remarks
 * `useRouteRefParams` with a sub-route ref of a sub-page also matches the sub-route
 * against the page's own mount, so that `/self-service/request` reads as the type
 * `request` (frontend-plugin-api 1.0). Reading the location below the tab's resolved
 * path has no such ambiguity.
 */
export function useChildSegment(tabRouteRef: RouteRef): string | undefined {
  const tabPath = useRouteRef(tabRouteRef)?.();
  const { pathname } = useAppLocation();
  if (!tabPath) {
    return undefined;
  }
  const prefix = `${tabPath.replace(/\/$/, '')}/`;
  if (!pathname.startsWith(prefix)) {
    return undefined;
  }
  const segment = pathname.slice(prefix.length).split('/')[0];
  return segment ? decodeURIComponent(segment) : undefined;
}
