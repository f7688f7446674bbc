// The npm package `events` (the browser port of Node's EventEmitter) has no types of its own; its
// API is Node's, so it takes Node's types.
declare module 'events/events.js' {
  import { EventEmitter } from 'node:events';
  export default EventEmitter;
}
