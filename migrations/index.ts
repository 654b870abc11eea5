import { CreateSnippets1764400000000 } from './1764400000000-create-snippets';
import { ControlPlane1764400001000 } from './1764400001000-control-plane';
import { DualRuns1764400002000 } from './1764400002000-dual-runs';
import { Traffic1764400003000 } from './1764400003000-traffic';
import { EvidenceKeys1764500000000 } from './1764500000000-evidence-keys';
import { ShadowJobs1764500001000 } from './1764500001000-shadow-jobs';
import { ShadowOwners1764600000000 } from './1764600000000-shadow-owners';
import { TrafficHistograms1764700000000 } from './1764700000000-traffic-histograms';

/** Every migration, oldest first. */
export const MIGRATIONS = [
  CreateSnippets1764400000000, ControlPlane1764400001000, DualRuns1764400002000, Traffic1764400003000,
  EvidenceKeys1764500000000, ShadowJobs1764500001000, ShadowOwners1764600000000, TrafficHistograms1764700000000,
];
