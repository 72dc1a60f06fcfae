/**
 * The role's menu (in a drawer on a phone): its own chunk, because Menu and Drawer weigh more than
 * a phone page's first paint can afford; on a phone it loads when ☰ is first tapped.
 */
import { Drawer, Menu } from 'antd';
import type { ReactNode } from 'react';

export interface ShellMenuProps {
  items: { key: string; label: ReactNode }[];
  selected: string[];
  /** Shown in a drawer (phone) with this title, or inline (the sider). */
  drawer?: { open: boolean; title: string };
  onClose: () => void;
}

export default function ShellMenu({ items, selected, drawer, onClose }: ShellMenuProps) {
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      onClick={onClose}
      style={{ borderInlineEnd: 0 }}
      data-testid="role-menu"
    />
  );
  if (!drawer) return menu;
  return (
    <Drawer open={drawer.open} onClose={onClose} placement="left" size={260} title={drawer.title}>
      {menu}
    </Drawer>
  );
}
