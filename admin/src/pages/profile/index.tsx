import { useGetIdentity } from '@refinedev/core';
import { Alert, Card, Descriptions, Skeleton, Space, Typography } from 'antd';
import { RoleTags } from '../../components/tags';
import { setMe } from '../../providers/session';
import { SessionsSection } from './sessions';
import { TwoFactorSection, TwoFactorTag } from './two-factor';

interface Identity {
  id: string;
  name: string;
  email: string;
  roles: string[];
  totp_enabled?: boolean;
  totp_enrolment_required?: boolean;
}

/** The signed-in user's own page: who they are, two-factor sign-in, and where they are signed in. */
export function ProfilePage() {
  const { data: me, isLoading, refetch } = useGetIdentity<Identity>();
  if (isLoading || !me) return <Skeleton active paragraph={{ rows: 6 }} />;
  const required = Boolean(me.totp_enrolment_required);
  const changed = () => {
    // The API answers with the new state on /api/auth/me; a user who was held to enrolment gets the whole admin back,
    // with every permission asked again (a full load drops the cached "may not" answers).
    if (required) return window.location.assign('/');
    setMe(null);
    void refetch();
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 880 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        Profile
      </Typography.Title>
      {required && (
        <Alert
          type="warning"
          showIcon
          message="Your role requires two-factor sign-in"
          description="Set it up below to open the rest of Milkrun: until then this page is all your login can reach."
          data-testid="enrolment-required"
        />
      )}
      <Card title="Your account" size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="Name">{me.name}</Descriptions.Item>
          <Descriptions.Item label="Email">{me.email}</Descriptions.Item>
          <Descriptions.Item label="Roles">
            <RoleTags roles={me.roles} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="Two-factor sign-in" size="small" extra={<TwoFactorTag enabled={Boolean(me.totp_enabled)} />}>
        <TwoFactorSection enabled={Boolean(me.totp_enabled)} onChange={changed} />
      </Card>
      {!required && (
        <Card title="Where you are signed in" size="small">
          <SessionsSection />
        </Card>
      )}
    </Space>
  );
}
