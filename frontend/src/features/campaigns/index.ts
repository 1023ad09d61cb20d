export { CHANNELS, type Channel } from './api';
