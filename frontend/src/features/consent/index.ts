// What other features may use of consent: the customer page's consent tab.
export { ConsentTab } from './consent-tab';
