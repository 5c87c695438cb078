import '@refinedev/antd/dist/reset.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PreparingGate } from './components/Preparing';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PreparingGate>
      <App />
    </PreparingGate>
  </StrictMode>,
);
