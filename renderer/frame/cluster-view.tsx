import { Tabs } from 'radix-ui';
import { ActivityTab } from '../activity/activity-tab';
import { ConfigurationTab } from '../configuration/configuration-tab';
import { FailoverTab } from '../failover/failover-tab';
import { OverviewTab } from '../nodes/overview-tab';
import { RecoverBanner } from '../recover/recover-banner';
import { useApp } from '../state/store';
import { CLUSTER_TABS, type ClusterTab } from '../state/types';
import { ComingTab } from './coming-tab';
import { TopBar } from './top-bar';

const TAB_LABEL: Record<ClusterTab, string> = {
  overview: 'Overview',
  failover: 'Failover settings',
  configuration: 'Configuration',
  drills: 'Drills',
  activity: 'Activity',
};

/** One cluster: top bar and its tabs. Tabs not built yet say what they will hold. */
export function ClusterView({ cluster }: { cluster: string }) {
  const tab = useApp((s) => s.tab);
  const setTab = useApp((s) => s.setTab);
  return (
    <div className="cluster-view">
      <TopBar cluster={cluster} />
      <RecoverBanner cluster={cluster} />
      <Tabs.Root className="tabs" value={tab} onValueChange={(v) => setTab(v as ClusterTab)} activationMode="manual">
        <Tabs.List className="tab-list" aria-label={`${cluster} views`}>
          {CLUSTER_TABS.map((t) => (
            <Tabs.Trigger key={t} value={t} className="tab" data-testid={`tab-${t}`}>
              {TAB_LABEL[t]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="overview" className="tab-panel">
          <OverviewTab cluster={cluster} />
        </Tabs.Content>
        <Tabs.Content value="failover" className="tab-panel tab-panel-pad">
          <FailoverTab cluster={cluster} />
        </Tabs.Content>
        <Tabs.Content value="configuration" className="tab-panel tab-panel-pad">
          <ConfigurationTab cluster={cluster} />
        </Tabs.Content>
        <Tabs.Content value="drills" className="tab-panel tab-panel-pad">
          <ComingTab title="Drills" testid="tab-drills-coming">
            <p>
              Coming later: rehearsed failovers (stop a node or an LB on purpose, watch the cluster fail over, restore it), with the timing
              of each step recorded in the audit log.
            </p>
          </ComingTab>
        </Tabs.Content>
        <Tabs.Content value="activity" className="tab-panel">
          <ActivityTab cluster={cluster} />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
