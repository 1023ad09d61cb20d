import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app';
import { ready } from './i18n';

const root = document.getElementById('root');
// The reader's words first (a chunk of their own), then the app.
void ready.then(() => {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
