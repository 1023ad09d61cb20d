/** What other features use of segments: the saved segments (a campaign's targets). */
export { useSegments } from './api';
