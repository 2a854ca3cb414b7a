/**
 * A stubbed EC2 with state, on aws-sdk-client-mock: instances with network interfaces, protection and states; security
 * groups; instance profiles. It answers the containment calls as EC2 does, optionally after a set latency per call,
 * and counts the calls in flight, so that unit tests and the benchmark see what the containment code really sends.
 */
import {
  CreateSecurityGroupCommand, CreateTagsCommand, DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand,
  DescribeSecurityGroupsCommand, DisassociateIamInstanceProfileCommand, IpPermission, ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand, RevokeSecurityGroupEgressCommand, SecurityGroup, StopInstancesCommand, Tag,
} from '@aws-sdk/client-ec2';
import { awsError } from './mocked-aws';

export interface StubbedInstance {
  readonly id: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated';
  readonly vpcId: string;
  /** Network interface id to its security groups. */
  readonly interfaces: Map<string, string[]>;
  disableApiStop: boolean;
  disableApiTermination: boolean;
  profileAssociation?: string;
  readonly tags: Map<string, string>;
}

const ALL_EGRESS: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

/** The stubbed account's EC2 in one region. */
export class StubbedEc2 {
  public readonly instances = new Map<string, StubbedInstance>();
  public readonly groups: SecurityGroup[] = [];
  /** Instance id to how many more StopInstances calls naming it fail. */
  public readonly failingStops = new Map<string, number>();
  public inFlight = 0;
  public maxInFlight = 0;
  public calls = 0;
  private next = 0;

  /** `mock` is `mockClient(EC2Client)`; each call answers after `latencyMs`. */
  constructor(private readonly mock: unknown, private readonly latencyMs = 0) {
    this.install();
  }

  /** Launches instances: running, protected as the attacker leaves them, each with `interfaces` network interfaces. */
  public launch(count: number, options: { interfaces?: number; vpcId?: string; profile?: boolean; state?: StubbedInstance['state'] } = {}): string[] {
    return Array.from({ length: count }, () => {
      const n = this.next++;
      const id = `i-${n.toString(16).padStart(17, '0')}`;
      const interfaces = new Map(Array.from({ length: options.interfaces ?? 1 }, (_, k) => [`eni-${n.toString(16).padStart(8, '0')}${k}`, ['sg-open']]));
      this.instances.set(id, {
        id,
        state: options.state ?? 'running',
        vpcId: options.vpcId ?? 'vpc-1',
        interfaces,
        disableApiStop: true,
        disableApiTermination: true,
        profileAssociation: options.profile ? `iip-assoc-${n}` : undefined,
        tags: new Map(),
      });
      return id;
    });
  }

  private instance(id: string | undefined): StubbedInstance {
    const found = id ? this.instances.get(id) : undefined;
    if (!found) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return found;
  }

  private handle<I extends object, O extends object>(command: new (input: I) => unknown, answer: (input: I) => O): void {
    (this.mock as unknown as { on(c: unknown): { callsFake(f: (input: I) => Promise<O>): void } }).on(command).callsFake(async (input: I) => {
      this.calls++;
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
        return answer(input);
      } finally {
        this.inFlight--;
      }
    });
  }

  private install(): void {
    const values = (filters: Array<{ Name?: string; Values?: string[] }> | undefined, name: string) => filters?.find((f) => f.Name === name)?.Values;
    this.handle(DescribeInstancesCommand, (input: { Filters?: Array<{ Name?: string; Values?: string[] }> }) => {
      const ids = values(input.Filters, 'instance-id') ?? [...this.instances.keys()];
      const found = ids.flatMap((id) => this.instances.get(id) ?? []);
      return {
        Reservations: [{
          Instances: found.map((i) => ({
            InstanceId: i.id,
            State: { Name: i.state },
            VpcId: i.vpcId,
            NetworkInterfaces: [...i.interfaces.keys()].map((eni) => ({ NetworkInterfaceId: eni, VpcId: i.vpcId })),
          })),
        }],
      };
    });
    type Protection = { Value?: boolean } | undefined;
    this.handle(ModifyInstanceAttributeCommand, (input: { InstanceId?: string; DisableApiStop?: Protection; DisableApiTermination?: Protection }) => {
      const i = this.instance(input.InstanceId);
      if (input.DisableApiStop) i.disableApiStop = Boolean(input.DisableApiStop.Value);
      if (input.DisableApiTermination) i.disableApiTermination = Boolean(input.DisableApiTermination.Value);
      return {};
    });
    this.handle(ModifyNetworkInterfaceAttributeCommand, (input: { NetworkInterfaceId?: string; Groups?: string[] }) => {
      const owner = [...this.instances.values()].find((i) => i.interfaces.has(input.NetworkInterfaceId ?? ''));
      if (!owner) throw awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${input.NetworkInterfaceId}' does not exist`);
      owner.interfaces.set(input.NetworkInterfaceId!, [...(input.Groups ?? [])]);
      return {};
    });
    this.handle(DescribeSecurityGroupsCommand, (input: { Filters?: Array<{ Name?: string; Values?: string[] }> }) => {
      const vpc = values(input.Filters, 'vpc-id');
      const id = values(input.Filters, 'group-id');
      return { SecurityGroups: this.groups.filter((g) => (!vpc || vpc.includes(g.VpcId!)) && (!id || id.includes(g.GroupId!))) };
    });
    this.handle(CreateSecurityGroupCommand, (input: { GroupName?: string; VpcId?: string; TagSpecifications?: Array<{ Tags?: Tag[] }> }) => {
      if (this.groups.some((g) => g.GroupName === input.GroupName && g.VpcId === input.VpcId)) {
        throw awsError('InvalidGroup.Duplicate', `The security group '${input.GroupName}' already exists for VPC '${input.VpcId}'`);
      }
      const GroupId = `sg-${(this.groups.length + 1).toString(16).padStart(17, '0')}`;
      this.groups.push({
        GroupId,
        GroupName: input.GroupName,
        VpcId: input.VpcId,
        IpPermissions: [],
        IpPermissionsEgress: [ALL_EGRESS],
        Tags: input.TagSpecifications?.[0]?.Tags ?? [],
      });
      return { GroupId };
    });
    this.handle(RevokeSecurityGroupEgressCommand, (input: { GroupId?: string }) => {
      const group = this.groups.find((g) => g.GroupId === input.GroupId);
      if (!group) throw awsError('InvalidGroup.NotFound', `The security group '${input.GroupId}' does not exist`);
      group.IpPermissionsEgress = [];
      return { Return: true };
    });
    this.handle(DescribeIamInstanceProfileAssociationsCommand, (input: { Filters?: Array<{ Name?: string; Values?: string[] }> }) => ({
      IamInstanceProfileAssociations: (values(input.Filters, 'instance-id') ?? []).flatMap((id) => {
        const i = this.instances.get(id);
        return i?.profileAssociation ? [{ AssociationId: i.profileAssociation, InstanceId: id, State: 'associated' }] : [];
      }),
    }));
    this.handle(DisassociateIamInstanceProfileCommand, (input: { AssociationId?: string }) => {
      const i = [...this.instances.values()].find((x) => x.profileAssociation === input.AssociationId);
      if (i) i.profileAssociation = undefined;
      return {};
    });
    this.handle(StopInstancesCommand, (input: { InstanceIds?: string[] }) => {
      const ids = input.InstanceIds ?? [];
      const found = ids.map((id) => this.instance(id));
      const failing = ids.find((id) => (this.failingStops.get(id) ?? 0) > 0);
      if (failing) {
        this.failingStops.set(failing, this.failingStops.get(failing)! - 1);
        throw awsError('InternalError', `An internal error has occurred stopping ${failing}`, 500);
      }
      const protectedOne = found.find((i) => i.disableApiStop);
      if (protectedOne) throw awsError('OperationNotPermitted', `The instance '${protectedOne.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`);
      const pending = found.find((i) => i.state === 'pending');
      if (pending) throw awsError('IncorrectInstanceState', `The instance '${pending.id}' is not in a state from which it can be stopped.`);
      return {
        StoppingInstances: found.map((i) => {
          const previous = i.state;
          if (i.state === 'running') i.state = 'stopped';
          return { InstanceId: i.id, PreviousState: { Name: previous }, CurrentState: { Name: i.state === 'stopped' ? 'stopping' : i.state } };
        }),
      };
    });
    this.handle(CreateTagsCommand, (input: { Resources?: string[]; Tags?: Tag[] }) => {
      for (const id of input.Resources ?? []) for (const t of input.Tags ?? []) this.instances.get(id)?.tags.set(t.Key!, t.Value!);
      return {};
    });
  }
}
