import { ShopOutlined } from '@ant-design/icons';
import { Card, Layout, Progress, Space, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';

/** GET /api/health: 200 {status: 'ok'} when ready, 503 {status: 'preparing', ...} while `npm start` prepares the database. */
interface Health {
  status: 'ok' | 'preparing';
  phase?: 'migrating' | 'demo';
  progress?: number;
}

const POLL_MS = 1500;

/**
 * Holds the admin back while the server prepares its database (migrations, the demo business on a first start)
 * and shows how far along it is; renders the admin once the API is ready, so its first calls do not meet 503s.
 */
export function PreparingGate({ children }: { children: ReactNode }) {
  const [health, setHealth] = useState<Health | undefined>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      let next: Health;
      try {
        const res = await fetch('/api/health', { headers: { accept: 'application/json' } });
        next = res.status === 503 ? ((await res.json()) as Health) : { status: 'ok' };
      } catch {
        // Not reachable at all: let the admin start and show its own errors.
        next = { status: 'ok' };
      }
      if (stopped) return;
      setHealth(next);
      if (next.status === 'preparing') timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (!health) return null;
  if (health.status === 'ok') return <>{children}</>;
  return <PreparingScreen health={health} />;
}

function PreparingScreen({ health }: { health: Health }) {
  const demo = health.phase === 'demo';
  const percent = demo ? (health.progress ?? 0) : undefined;
  return (
    <Layout style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f5ff', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 440, boxShadow: '0 4px 24px rgba(0,0,0,0.06)' }}>
        <Space direction="vertical" size={12} style={{ width: '100%', textAlign: 'center' }}>
          <ShopOutlined style={{ fontSize: 36, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            {demo ? `Preparing the demo business... ${percent}%` : 'Starting Milkrun...'}
          </Typography.Title>
          <div role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label="Preparing">
            <Progress percent={percent ?? 100} status="active" showInfo={false} />
          </div>
          <Typography.Text type="secondary">
            {demo
              ? 'First start: loading a Bengaluru dairy with 300 customers and three months of orders, deliveries and invoices. This page moves on by itself.'
              : 'Applying the database migrations. This page moves on by itself.'}
          </Typography.Text>
        </Space>
      </Card>
    </Layout>
  );
}
