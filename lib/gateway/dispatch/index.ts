export type { DispatcherOptions, Reply, RequestContext } from './context';
export { Dispatcher } from './dispatcher';
