import { useSyncExternalStore } from 'react';
import { subscribeLocation, type AppLocation } from '../navigation.js';

let cached: AppLocation = { pathname: '/', search: '' };

function snapshot(): AppLocation {
  const { pathname, search } = window.location;
  if (cached.pathname !== pathname || cached.search !== search) cached = { pathname, search };
  return cached;
}

/** The current path and query string; re-renders on `navigate()` and on the browser's back/forward. */
export function useLocation(): AppLocation {
  return useSyncExternalStore(subscribeLocation, snapshot);
}
