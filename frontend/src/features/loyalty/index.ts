// What other features may use of loyalty: the customer page's Points tab.
export { PointsTab } from './points-tab';
