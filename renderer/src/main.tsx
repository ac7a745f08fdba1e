import { createRoot } from 'react-dom/client';
import { connectApi } from '../api/client';

// Placeholder until the UI lands: proves the path browser -> host -> core.
const root = createRoot(document.getElementById('root')!);
connectApi().then(
  async (api) => {
    const clusters = await api.call('clusters.list', {});
    root.render(<pre data-testid="placeholder">{JSON.stringify(clusters, null, 2)}</pre>);
  },
  (e: Error) => root.render(<p role="alert">{e.message}</p>),
);
