import './zod-jitless';
import '../theme/theme.css';
import '../ui/ui.css';
import '../ui/dialog.css';
import '../ui/badges.css';
import '../ui/toasts.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from '../api/client';
import { startSync } from '../state/sync/start-sync';
import { app } from '../state/store';
import { App } from './app';

const root = createRoot(document.getElementById('root')!);

connectApi().then(
  (api) => {
    startSync(api);
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  },
  (e: Error) => {
    app().setConn('failed', e.message);
    root.render(
      <main className="fatal" role="alert" data-testid="connect-error">
        <h1>ClusterDeck could not connect</h1>
        <p>{e.message}</p>
      </main>,
    );
  },
);
