import { Result } from 'antd';

/** What a role sees on a page it may not open, instead of a 403 from the API. Lazy: Result's artwork is 10 KB. */
export const Forbidden = () => <Result status="403" title="Not for your role" subTitle="Your role may not open this page. Ask an admin if you need it." />;
