export { CHANNELS, type Channel } from './api';
export { ChannelFields } from './channel-fields';
