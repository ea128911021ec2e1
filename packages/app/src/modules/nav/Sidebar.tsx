import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import {
  NavContentBlueprint,
  NavContentNavItem,
} from '@backstage/plugin-app-react';
import { SidebarLogo } from './SidebarLogo';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import { SidebarSearchModal } from '@backstage/plugin-search';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';

/**
 * Sidebar labels for pages whose own titles do not fit its 110 px label ("Catalog
 * Gra…"); the pages keep their full titles in their headers.
 */
export const SIDEBAR_TITLES: Record<string, string> = {
  'page:catalog-graph': 'Graph',
  'page:catalog-import': 'Register',
};

export const sidebarTitle = (item: NavContentNavItem) =>
  SIDEBAR_TITLES[item.node.spec.id] ?? item.title;

const NavItem = (item: NavContentNavItem) => (
  <SidebarItem
    icon={() => item.icon}
    to={item.href}
    text={sidebarTitle(item)}
  />
);

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const nav = navItems.withComponent(NavItem);

      // Skipped items
      nav.take('page:search'); // Using search modal instead
      nav.take('page:notifications'); // Using NotificationsSidebarItem manually instead

      // Every placed item is taken before the rest are listed.
      const home = nav.take('page:home');
      const catalog = nav.take('page:catalog');
      const create = nav.take('page:scaffolder');
      // Disabled in app-config.yaml; under Settings when a developer enables it.
      const visualizer = nav.take('page:app-visualizer');
      const settings = nav.take('page:user-settings');
      // Sorted by the labels shown, not by the pages' longer titles.
      const rest = navItems
        .rest()
        .sort((a, b) => sidebarTitle(a).localeCompare(sidebarTitle(b)));

      return (
        <Sidebar>
          <SidebarLogo />
          <SidebarGroup label="Search" icon={<SearchIcon />} to="/search">
            <SidebarSearchModal />
          </SidebarGroup>
          <SidebarDivider />
          <SidebarGroup label="Menu" icon={<MenuIcon />}>
            {home}
            {catalog}
            {create}
            <SidebarDivider />
            <SidebarScrollWrapper>
              {rest.map(item => (
                <NavItem key={item.node.spec.id} {...item} />
              ))}
            </SidebarScrollWrapper>
          </SidebarGroup>
          <SidebarSpace />
          <SidebarDivider />
          <NotificationsSidebarItem />
          <SidebarDivider />
          <SidebarGroup
            label="Settings"
            icon={<UserSettingsSignInAvatar />}
            to="/settings"
          >
            {visualizer}
            {settings}
          </SidebarGroup>
        </Sidebar>
      );
    },
  },
});
