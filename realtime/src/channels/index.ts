export { installChannels, channelRoom, activityRoom } from './handlers.js';
export type { ChannelsOptions, InstalledChannels, AccessChange } from './handlers.js';
