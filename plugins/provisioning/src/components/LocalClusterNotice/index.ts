export { LocalClusterNotice } from './LocalClusterNotice';
