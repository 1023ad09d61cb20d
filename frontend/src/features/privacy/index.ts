// What other features may use of privacy: logging a request from the customer page.
export { LogRequestDialog } from './request-dialogs';
