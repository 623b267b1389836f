export { createApp, VERSION, type Services, type AppOptions } from './app.js';
export { toAppError, errorBody, type ErrorBody } from './error-handler.js';
