export { type Change, type ChangeEvent, type ChangeFeed, type ChangeListener, PROCESS_ORIGIN } from './change-feed.js';
export { LocalChangeFeed } from './local-change-feed.js';
export { CHANGES_CHANNEL, PostgresChangeFeed } from './postgres-change-feed.js';
