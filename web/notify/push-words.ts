/**
 * Where the page leaves the words of a Web Push notice for the service worker (Cache Storage:
 * the worker can read it, localStorage it cannot), in the member's language. Shared by the page
 * (web-push.ts) and the worker (sw.ts), which has no strings catalogue of its own.
 */
export const PUSH_WORDS_CACHE = 'heroes-push-words'
export const PUSH_WORDS_URL = '/__heroes/push-words'
