/**
 * The channel services the web app's server code may call (through the app context): the HTTP API's
 * channel lists, history pages, search, channel creation and direct conversations. Type-only, so the app
 * context stays free of run-time imports.
 */
import type { ChannelService } from './services';

export type ChannelServices = Pick<
  ChannelService,
  | 'listSpaceChannels'
  | 'listNetworkChannels'
  | 'history'
  | 'search'
  | 'createChannel'
  | 'openDirect'
  | 'markRead'
>;
