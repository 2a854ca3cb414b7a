/**
 * A bundled, dated table of EC2 instance types (vCPUs, GPUs, memory, us-east-1 price) so that a launch can be
 * weighed without any AWS call, for example when an offline replay re-evaluates recorded launches.
 *
 * Sources, and the date the figures are from:
 * - vCPUs, GPUs and memory: the EC2 DescribeInstanceTypes figures generated into
 *   `cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go` of https://github.com/kubernetes/autoscaler at commit
 *   07806e9edcfede7a0c7c70833867e904f2114221 (its `StaticListLastUpdateTime` is 2024-10-02); memory is converted from
 *   MiB to GiB. The p5e, p5en and p6-b200 types, newer than that list, come from the DescribeInstanceTypes labels in
 *   `website/content/en/preview/reference/instance-types.md` of https://github.com/aws/karpenter-provider-aws at
 *   commit 2aea8194afeb77240e1948472c3fe23fc75e1778.
 * - Prices: us-east-1, Linux, shared tenancy, on-demand USD per hour, from the AWS Price List as generated into
 *   `pkg/providers/pricing/zz_generated.pricing_aws.go` of https://github.com/aws/karpenter-provider-aws at commit
 *   265ee0ba5b8e337dec6b82dde965b03021ccb418 ("generated at 2026-02-09T13:43:35Z for us-east-1").
 *   AWS changes prices (it cut p4d, p4de and p5 prices in 2025); check https://aws.amazon.com/ec2/pricing/on-demand/
 *   before quoting a figure as current. A price that list did not hold is left out, never guessed: p5e.48xlarge has
 *   no us-east-1 price there.
 *
 * `gpus` counts what EC2 reports as GPUs, which includes the Gaudi accelerators of dl1. Inferentia (inf1, inf2),
 * Trainium (trn1, trn1n), FPGA (f1) and Xilinx U30 (vt1) accelerators are not GPUs to EC2: those families have
 * `gpus` 0 and are listed in {@link NON_GPU_ACCELERATOR_FAMILIES}.
 *
 * Types the sources above did not confirm (among them p5.4xlarge, trn2, dl2q, f2 and hpc6a) are not in the table:
 * {@link instanceSpec} estimates them with the size rule.
 */

/** What a launch evaluator needs to know of an instance type. */
export interface InstanceSpec {
  readonly type: string;
  readonly vcpus: number;
  /** GPUs as EC2 reports them; 0 for none. */
  readonly gpus: number;
  /** Memory in GiB; 0 when unknown (an estimated spec). */
  readonly memoryGiB: number;
  /** us-east-1 Linux on-demand USD per hour on {@link INSTANCE_TABLE_DATE}; undefined when not known. */
  readonly usdPerHour?: number;
}

/** One row of the table: vCPUs, GPUs, memory in GiB, and the us-east-1 price when the source held one. */
export type InstanceSpecRow = readonly [vcpus: number, gpus: number, memoryGiB: number, usdPerHour?: number];

/** The date of the prices in {@link INSTANCE_TABLE}. */
export const INSTANCE_TABLE_DATE = '2026-02-09';

/** Accelerated families whose accelerators EC2 does not report as GPUs, so their `gpus` is 0. */
export const NON_GPU_ACCELERATOR_FAMILIES: readonly string[] = ['inf1', 'inf2', 'trn1', 'trn1n', 'f1', 'vt1'];

/** Instance types by name, as of {@link INSTANCE_TABLE_DATE}. */
export const INSTANCE_TABLE: Readonly<Record<string, InstanceSpecRow>> = {
  // GPU and accelerator families
  'p2.xlarge': [4, 1, 61, 0.9],
  'p2.8xlarge': [32, 8, 488, 7.2],
  'p2.16xlarge': [64, 16, 732, 14.4],
  'p3.2xlarge': [8, 1, 61, 3.06],
  'p3.8xlarge': [32, 4, 244, 12.24],
  'p3.16xlarge': [64, 8, 488, 24.48],
  'p3dn.24xlarge': [96, 8, 768, 31.212],
  'p4d.24xlarge': [96, 8, 1152, 21.957642],
  'p4de.24xlarge': [96, 8, 1152, 27.44705],
  'p5.48xlarge': [192, 8, 2048, 55.04],
  'p5e.48xlarge': [192, 8, 2048],
  'p5en.48xlarge': [192, 8, 2048, 63.296],
  'p6-b200.48xlarge': [192, 8, 2048, 113.9328],
  'g3.4xlarge': [16, 1, 122, 1.14],
  'g3.8xlarge': [32, 2, 244, 2.28],
  'g3.16xlarge': [64, 4, 488, 4.56],
  'g3s.xlarge': [4, 1, 30.5, 0.75],
  'g4dn.xlarge': [4, 1, 16, 0.526],
  'g4dn.2xlarge': [8, 1, 32, 0.752],
  'g4dn.4xlarge': [16, 1, 64, 1.204],
  'g4dn.8xlarge': [32, 1, 128, 2.176],
  'g4dn.12xlarge': [48, 4, 192, 3.912],
  'g4dn.16xlarge': [64, 1, 256, 4.352],
  'g4dn.metal': [96, 8, 384, 7.824],
  'g4ad.xlarge': [4, 1, 16, 0.37853],
  'g4ad.2xlarge': [8, 1, 32, 0.54117],
  'g4ad.4xlarge': [16, 1, 64, 0.867],
  'g4ad.8xlarge': [32, 2, 128, 1.734],
  'g4ad.16xlarge': [64, 4, 256, 3.468],
  'g5.xlarge': [4, 1, 16, 1.006],
  'g5.2xlarge': [8, 1, 32, 1.212],
  'g5.4xlarge': [16, 1, 64, 1.624],
  'g5.8xlarge': [32, 1, 128, 2.448],
  'g5.12xlarge': [48, 4, 192, 5.672],
  'g5.16xlarge': [64, 1, 256, 4.096],
  'g5.24xlarge': [96, 4, 384, 8.144],
  'g5.48xlarge': [192, 8, 768, 16.288],
  'g5g.xlarge': [4, 1, 8, 0.42],
  'g5g.2xlarge': [8, 1, 16, 0.556],
  'g5g.4xlarge': [16, 1, 32, 0.828],
  'g5g.8xlarge': [32, 1, 64, 1.372],
  'g5g.16xlarge': [64, 2, 128, 2.744],
  'g5g.metal': [64, 2, 128, 2.744],
  'g6.xlarge': [4, 1, 16, 0.8048],
  'g6.2xlarge': [8, 1, 32, 0.9776],
  'g6.4xlarge': [16, 1, 64, 1.3232],
  'g6.8xlarge': [32, 1, 128, 2.0144],
  'g6.12xlarge': [48, 4, 192, 4.6016],
  'g6.16xlarge': [64, 1, 256, 3.3968],
  'g6.24xlarge': [96, 4, 384, 6.6752],
  'g6.48xlarge': [192, 8, 768, 13.3504],
  'g6e.xlarge': [4, 1, 32, 1.861],
  'g6e.2xlarge': [8, 1, 64, 2.24208],
  'g6e.4xlarge': [16, 1, 128, 3.00424],
  'g6e.8xlarge': [32, 1, 256, 4.52856],
  'g6e.12xlarge': [48, 4, 384, 10.49264],
  'g6e.16xlarge': [64, 1, 512, 7.57719],
  'g6e.24xlarge': [96, 4, 768, 15.06559],
  'g6e.48xlarge': [192, 8, 1536, 30.13118],
  'gr6.4xlarge': [16, 1, 128, 1.5392],
  'gr6.8xlarge': [32, 1, 256, 2.4464],
  'inf1.xlarge': [4, 0, 8, 0.228],
  'inf1.2xlarge': [8, 0, 16, 0.362],
  'inf1.6xlarge': [24, 0, 48, 1.18],
  'inf1.24xlarge': [96, 0, 192, 4.721],
  'inf2.xlarge': [4, 0, 16, 0.7582],
  'inf2.8xlarge': [32, 0, 128, 1.96786],
  'inf2.24xlarge': [96, 0, 384, 6.49063],
  'inf2.48xlarge': [192, 0, 768, 12.98127],
  'trn1.2xlarge': [8, 0, 32, 1.34375],
  'trn1.32xlarge': [128, 0, 512, 21.5],
  'trn1n.32xlarge': [128, 0, 512, 24.78],
  'dl1.24xlarge': [96, 8, 768, 13.10904],
  'f1.2xlarge': [8, 0, 122, 1.65],
  'f1.4xlarge': [16, 0, 244, 3.3],
  'f1.16xlarge': [64, 0, 976, 13.2],
  'vt1.3xlarge': [12, 0, 24, 0.65],
  'vt1.6xlarge': [24, 0, 48, 1.3],
  'vt1.24xlarge': [96, 0, 192, 5.2],
  // Burstable
  't2.nano': [1, 0, 0.5, 0.0058],
  't2.micro': [1, 0, 1, 0.0116],
  't2.small': [1, 0, 2, 0.023],
  't2.medium': [2, 0, 4, 0.0464],
  't2.large': [2, 0, 8, 0.0928],
  't2.xlarge': [4, 0, 16, 0.1856],
  't2.2xlarge': [8, 0, 32, 0.3712],
  't3.nano': [2, 0, 0.5, 0.0052],
  't3.micro': [2, 0, 1, 0.0104],
  't3.small': [2, 0, 2, 0.0208],
  't3.medium': [2, 0, 4, 0.0416],
  't3.large': [2, 0, 8, 0.0832],
  't3.xlarge': [4, 0, 16, 0.1664],
  't3.2xlarge': [8, 0, 32, 0.3328],
  't3a.nano': [2, 0, 0.5, 0.0047],
  't3a.micro': [2, 0, 1, 0.0094],
  't3a.small': [2, 0, 2, 0.0188],
  't3a.medium': [2, 0, 4, 0.0376],
  't3a.large': [2, 0, 8, 0.0752],
  't3a.xlarge': [4, 0, 16, 0.1504],
  't3a.2xlarge': [8, 0, 32, 0.3008],
  't4g.nano': [2, 0, 0.5, 0.0042],
  't4g.micro': [2, 0, 1, 0.0084],
  't4g.small': [2, 0, 2, 0.0168],
  't4g.medium': [2, 0, 4, 0.0336],
  't4g.large': [2, 0, 8, 0.0672],
  't4g.xlarge': [4, 0, 16, 0.1344],
  't4g.2xlarge': [8, 0, 32, 0.2688],
  // General purpose
  'm5.large': [2, 0, 8, 0.096],
  'm5.xlarge': [4, 0, 16, 0.192],
  'm5.2xlarge': [8, 0, 32, 0.384],
  'm5.4xlarge': [16, 0, 64, 0.768],
  'm5.8xlarge': [32, 0, 128, 1.536],
  'm5.12xlarge': [48, 0, 192, 2.304],
  'm5.16xlarge': [64, 0, 256, 3.072],
  'm5.24xlarge': [96, 0, 384, 4.608],
  'm5.metal': [96, 0, 384, 4.608],
  'm5a.large': [2, 0, 8, 0.086],
  'm5a.xlarge': [4, 0, 16, 0.172],
  'm5a.2xlarge': [8, 0, 32, 0.344],
  'm5a.4xlarge': [16, 0, 64, 0.688],
  'm5a.8xlarge': [32, 0, 128, 1.376],
  'm5a.12xlarge': [48, 0, 192, 2.064],
  'm5a.16xlarge': [64, 0, 256, 2.752],
  'm5a.24xlarge': [96, 0, 384, 4.128],
  'm6i.large': [2, 0, 8, 0.096],
  'm6i.xlarge': [4, 0, 16, 0.192],
  'm6i.2xlarge': [8, 0, 32, 0.384],
  'm6i.4xlarge': [16, 0, 64, 0.768],
  'm6i.8xlarge': [32, 0, 128, 1.536],
  'm6i.12xlarge': [48, 0, 192, 2.304],
  'm6i.16xlarge': [64, 0, 256, 3.072],
  'm6i.24xlarge': [96, 0, 384, 4.608],
  'm6i.32xlarge': [128, 0, 512, 6.144],
  'm6i.metal': [128, 0, 512, 6.144],
  'm6a.large': [2, 0, 8, 0.0864],
  'm6a.xlarge': [4, 0, 16, 0.1728],
  'm6a.2xlarge': [8, 0, 32, 0.3456],
  'm6a.4xlarge': [16, 0, 64, 0.6912],
  'm6a.8xlarge': [32, 0, 128, 1.3824],
  'm6a.12xlarge': [48, 0, 192, 2.0736],
  'm6a.16xlarge': [64, 0, 256, 2.7648],
  'm6a.24xlarge': [96, 0, 384, 4.1472],
  'm6a.32xlarge': [128, 0, 512, 5.5296],
  'm6a.48xlarge': [192, 0, 768, 8.2944],
  'm6a.metal': [192, 0, 768, 8.2944],
  'm6g.medium': [1, 0, 4, 0.0385],
  'm6g.large': [2, 0, 8, 0.077],
  'm6g.xlarge': [4, 0, 16, 0.154],
  'm6g.2xlarge': [8, 0, 32, 0.308],
  'm6g.4xlarge': [16, 0, 64, 0.616],
  'm6g.8xlarge': [32, 0, 128, 1.232],
  'm6g.12xlarge': [48, 0, 192, 1.848],
  'm6g.16xlarge': [64, 0, 256, 2.464],
  'm6g.metal': [64, 0, 256, 2.6112],
  'm7i.large': [2, 0, 8, 0.1008],
  'm7i.xlarge': [4, 0, 16, 0.2016],
  'm7i.2xlarge': [8, 0, 32, 0.4032],
  'm7i.4xlarge': [16, 0, 64, 0.8064],
  'm7i.8xlarge': [32, 0, 128, 1.6128],
  'm7i.12xlarge': [48, 0, 192, 2.4192],
  'm7i.16xlarge': [64, 0, 256, 3.2256],
  'm7i.24xlarge': [96, 0, 384, 4.8384],
  'm7i.48xlarge': [192, 0, 768, 9.6768],
  'm7i.metal-24xl': [96, 0, 384, 5.32224],
  'm7i.metal-48xl': [192, 0, 768, 9.6768],
  'm7a.medium': [1, 0, 4, 0.05796],
  'm7a.large': [2, 0, 8, 0.11592],
  'm7a.xlarge': [4, 0, 16, 0.23184],
  'm7a.2xlarge': [8, 0, 32, 0.46368],
  'm7a.4xlarge': [16, 0, 64, 0.92736],
  'm7a.8xlarge': [32, 0, 128, 1.85472],
  'm7a.12xlarge': [48, 0, 192, 2.78208],
  'm7a.16xlarge': [64, 0, 256, 3.70944],
  'm7a.24xlarge': [96, 0, 384, 5.56416],
  'm7a.32xlarge': [128, 0, 512, 7.41888],
  'm7a.48xlarge': [192, 0, 768, 11.12832],
  'm7a.metal-48xl': [192, 0, 768, 11.12832],
  'm7g.medium': [1, 0, 4, 0.0408],
  'm7g.large': [2, 0, 8, 0.0816],
  'm7g.xlarge': [4, 0, 16, 0.1632],
  'm7g.2xlarge': [8, 0, 32, 0.3264],
  'm7g.4xlarge': [16, 0, 64, 0.6528],
  'm7g.8xlarge': [32, 0, 128, 1.3056],
  'm7g.12xlarge': [48, 0, 192, 1.9584],
  'm7g.16xlarge': [64, 0, 256, 2.6112],
  'm7g.metal': [64, 0, 256, 2.6112],
  // Compute optimised
  'c5.large': [2, 0, 4, 0.085],
  'c5.xlarge': [4, 0, 8, 0.17],
  'c5.2xlarge': [8, 0, 16, 0.34],
  'c5.4xlarge': [16, 0, 32, 0.68],
  'c5.9xlarge': [36, 0, 72, 1.53],
  'c5.12xlarge': [48, 0, 96, 2.04],
  'c5.18xlarge': [72, 0, 144, 3.06],
  'c5.24xlarge': [96, 0, 192, 4.08],
  'c5.metal': [96, 0, 192, 4.08],
  'c5a.large': [2, 0, 4, 0.077],
  'c5a.xlarge': [4, 0, 8, 0.154],
  'c5a.2xlarge': [8, 0, 16, 0.308],
  'c5a.4xlarge': [16, 0, 32, 0.616],
  'c5a.8xlarge': [32, 0, 64, 1.232],
  'c5a.12xlarge': [48, 0, 96, 1.848],
  'c5a.16xlarge': [64, 0, 128, 2.464],
  'c5a.24xlarge': [96, 0, 192, 3.696],
  'c5n.large': [2, 0, 5.25, 0.108],
  'c5n.xlarge': [4, 0, 10.5, 0.216],
  'c5n.2xlarge': [8, 0, 21, 0.432],
  'c5n.4xlarge': [16, 0, 42, 0.864],
  'c5n.9xlarge': [36, 0, 96, 1.944],
  'c5n.18xlarge': [72, 0, 192, 3.888],
  'c5n.metal': [72, 0, 192, 3.888],
  'c6i.large': [2, 0, 4, 0.085],
  'c6i.xlarge': [4, 0, 8, 0.17],
  'c6i.2xlarge': [8, 0, 16, 0.34],
  'c6i.4xlarge': [16, 0, 32, 0.68],
  'c6i.8xlarge': [32, 0, 64, 1.36],
  'c6i.12xlarge': [48, 0, 96, 2.04],
  'c6i.16xlarge': [64, 0, 128, 2.72],
  'c6i.24xlarge': [96, 0, 192, 4.08],
  'c6i.32xlarge': [128, 0, 256, 5.44],
  'c6i.metal': [128, 0, 256, 5.44],
  'c6a.large': [2, 0, 4, 0.0765],
  'c6a.xlarge': [4, 0, 8, 0.153],
  'c6a.2xlarge': [8, 0, 16, 0.306],
  'c6a.4xlarge': [16, 0, 32, 0.612],
  'c6a.8xlarge': [32, 0, 64, 1.224],
  'c6a.12xlarge': [48, 0, 96, 1.836],
  'c6a.16xlarge': [64, 0, 128, 2.448],
  'c6a.24xlarge': [96, 0, 192, 3.672],
  'c6a.32xlarge': [128, 0, 256, 4.896],
  'c6a.48xlarge': [192, 0, 384, 7.344],
  'c6a.metal': [192, 0, 384, 7.344],
  'c6g.medium': [1, 0, 2, 0.034],
  'c6g.large': [2, 0, 4, 0.068],
  'c6g.xlarge': [4, 0, 8, 0.136],
  'c6g.2xlarge': [8, 0, 16, 0.272],
  'c6g.4xlarge': [16, 0, 32, 0.544],
  'c6g.8xlarge': [32, 0, 64, 1.088],
  'c6g.12xlarge': [48, 0, 96, 1.632],
  'c6g.16xlarge': [64, 0, 128, 2.176],
  'c6g.metal': [64, 0, 128, 2.3066],
  'c7i.large': [2, 0, 4, 0.08925],
  'c7i.xlarge': [4, 0, 8, 0.1785],
  'c7i.2xlarge': [8, 0, 16, 0.357],
  'c7i.4xlarge': [16, 0, 32, 0.714],
  'c7i.8xlarge': [32, 0, 64, 1.428],
  'c7i.12xlarge': [48, 0, 96, 2.142],
  'c7i.16xlarge': [64, 0, 128, 2.856],
  'c7i.24xlarge': [96, 0, 192, 4.284],
  'c7i.48xlarge': [192, 0, 384, 8.568],
  'c7i.metal-24xl': [96, 0, 192, 4.7124],
  'c7i.metal-48xl': [192, 0, 384, 8.568],
  'c7a.medium': [1, 0, 2, 0.05132],
  'c7a.large': [2, 0, 4, 0.10264],
  'c7a.xlarge': [4, 0, 8, 0.20528],
  'c7a.2xlarge': [8, 0, 16, 0.41056],
  'c7a.4xlarge': [16, 0, 32, 0.82112],
  'c7a.8xlarge': [32, 0, 64, 1.64224],
  'c7a.12xlarge': [48, 0, 96, 2.46336],
  'c7a.16xlarge': [64, 0, 128, 3.28448],
  'c7a.24xlarge': [96, 0, 192, 4.92672],
  'c7a.32xlarge': [128, 0, 256, 6.56896],
  'c7a.48xlarge': [192, 0, 384, 9.85344],
  'c7a.metal-48xl': [192, 0, 384, 9.85344],
  'c7g.medium': [1, 0, 2, 0.0363],
  'c7g.large': [2, 0, 4, 0.0725],
  'c7g.xlarge': [4, 0, 8, 0.145],
  'c7g.2xlarge': [8, 0, 16, 0.29],
  'c7g.4xlarge': [16, 0, 32, 0.58],
  'c7g.8xlarge': [32, 0, 64, 1.16],
  'c7g.12xlarge': [48, 0, 96, 1.74],
  'c7g.16xlarge': [64, 0, 128, 2.32],
  'c7g.metal': [64, 0, 128, 2.32],
  // Memory optimised
  'r5.large': [2, 0, 16, 0.126],
  'r5.xlarge': [4, 0, 32, 0.252],
  'r5.2xlarge': [8, 0, 64, 0.504],
  'r5.4xlarge': [16, 0, 128, 1.008],
  'r5.8xlarge': [32, 0, 256, 2.016],
  'r5.12xlarge': [48, 0, 384, 3.024],
  'r5.16xlarge': [64, 0, 512, 4.032],
  'r5.24xlarge': [96, 0, 768, 6.048],
  'r5.metal': [96, 0, 768, 6.048],
  'r6i.large': [2, 0, 16, 0.126],
  'r6i.xlarge': [4, 0, 32, 0.252],
  'r6i.2xlarge': [8, 0, 64, 0.504],
  'r6i.4xlarge': [16, 0, 128, 1.008],
  'r6i.8xlarge': [32, 0, 256, 2.016],
  'r6i.12xlarge': [48, 0, 384, 3.024],
  'r6i.16xlarge': [64, 0, 512, 4.032],
  'r6i.24xlarge': [96, 0, 768, 6.048],
  'r6i.32xlarge': [128, 0, 1024, 8.064],
  'r6i.metal': [128, 0, 1024, 8.064],
  'r7i.large': [2, 0, 16, 0.1323],
  'r7i.xlarge': [4, 0, 32, 0.2646],
  'r7i.2xlarge': [8, 0, 64, 0.5292],
  'r7i.4xlarge': [16, 0, 128, 1.0584],
  'r7i.8xlarge': [32, 0, 256, 2.1168],
  'r7i.12xlarge': [48, 0, 384, 3.1752],
  'r7i.16xlarge': [64, 0, 512, 4.2336],
  'r7i.24xlarge': [96, 0, 768, 6.3504],
  'r7i.48xlarge': [192, 0, 1536, 12.7008],
  'r7i.metal-24xl': [96, 0, 768, 6.98544],
  'r7i.metal-48xl': [192, 0, 1536, 12.7008],
  'x1.16xlarge': [64, 0, 976, 6.669],
  'x1.32xlarge': [128, 0, 1952, 13.338],
  'x1e.xlarge': [4, 0, 122, 0.834],
  'x1e.2xlarge': [8, 0, 244, 1.668],
  'x1e.4xlarge': [16, 0, 488, 3.336],
  'x1e.8xlarge': [32, 0, 976, 6.672],
  'x1e.16xlarge': [64, 0, 1952, 13.344],
  'x1e.32xlarge': [128, 0, 3904, 26.688],
  'x2idn.16xlarge': [64, 0, 1024, 6.669],
  'x2idn.24xlarge': [96, 0, 1536, 10.0035],
  'x2idn.32xlarge': [128, 0, 2048, 13.338],
  'x2idn.metal': [128, 0, 2048, 13.338],
  'z1d.large': [2, 0, 16, 0.186],
  'z1d.xlarge': [4, 0, 32, 0.372],
  'z1d.2xlarge': [8, 0, 64, 0.744],
  'z1d.3xlarge': [12, 0, 96, 1.116],
  'z1d.6xlarge': [24, 0, 192, 2.232],
  'z1d.12xlarge': [48, 0, 384, 4.464],
  'z1d.metal': [48, 0, 384, 4.464],
};

/** SageMaker names its instance types after the EC2 ones, with this prefix. */
const SAGEMAKER_PREFIX = 'ml.';

/**
 * vCPUs of the sizes without a number, for types missing from the table. The rule is the one of the `Nxlarge`
 * sizes (4 vCPUs per `xlarge`), floored at 1 vCPU: it undercounts burstable types, whose `nano`, `micro` and `small`
 * sizes have 2 vCPUs in t3, t3a and t4g, but those are in the table.
 */
const NAMED_SIZE_VCPUS: ReadonlyMap<string, number> = new Map([
  ['xlarge', 4], ['large', 2], ['medium', 1], ['small', 1], ['micro', 1], ['nano', 1],
]);

/** The family of an instance type: `p4d.24xlarge` is `p4d`, `ml.p3.2xlarge` is `p3`, `g4dn.metal` is `g4dn`. */
export function instanceFamily(type: string): string {
  return ec2TypeOf(type).split('.')[0];
}

/** The spec of an instance type: from the table, or estimated with the size rule. */
export function instanceSpec(type: string): InstanceSpec & { readonly estimated: boolean } {
  const normalised = type.trim().toLowerCase();
  const ec2Type = ec2TypeOf(normalised);
  const row = tableRow(ec2Type);
  if (!row) {
    return { type: normalised, ...estimatedSize(ec2Type), gpus: 0, estimated: true };
  }
  const [vcpus, gpus, memoryGiB, usdPerHour] = row;
  // SageMaker bills its ml. types at its own prices, so the EC2 price would mislead.
  const price = ec2Type === normalised ? usdPerHour : undefined;
  return { type: normalised, vcpus, gpus, memoryGiB, ...(price === undefined ? {} : { usdPerHour: price }), estimated: false };
}

/** The EC2 type behind a type name: lower case, without SageMaker's `ml.` prefix. */
function ec2TypeOf(type: string): string {
  const normalised = type.trim().toLowerCase();
  return normalised.startsWith(SAGEMAKER_PREFIX) ? normalised.slice(SAGEMAKER_PREFIX.length) : normalised;
}

/** The table's row for an EC2 type; an own property only, so names such as `constructor` are not found. */
function tableRow(ec2Type: string): InstanceSpecRow | undefined {
  return Object.prototype.hasOwnProperty.call(INSTANCE_TABLE, ec2Type) ? INSTANCE_TABLE[ec2Type] : undefined;
}

/**
 * vCPUs and memory of a type missing from the table, read from its size: `Nxlarge` and `metal-Nxl` are 4N vCPUs,
 * the named sizes are in {@link NAMED_SIZE_VCPUS}, and `metal` is the family's largest size in the table. Memory is
 * known only in that last case; anything else is 0.
 */
function estimatedSize(ec2Type: string): { readonly vcpus: number; readonly memoryGiB: number } {
  const size = ec2Type.split('.')[1] ?? '';
  const multiple = /^(?:(\d+)xlarge|metal-(\d+)xl)$/.exec(size);
  if (multiple) {
    return { vcpus: 4 * Number(multiple[1] ?? multiple[2]), memoryGiB: 0 };
  }
  if (size === 'metal') {
    return largestOfFamily(instanceFamily(ec2Type));
  }
  return { vcpus: NAMED_SIZE_VCPUS.get(size) ?? 0, memoryGiB: 0 };
}

/** vCPUs and memory of a family's largest type in the table; 0 and 0 for a family the table does not hold. */
function largestOfFamily(family: string): { readonly vcpus: number; readonly memoryGiB: number } {
  let largest = { vcpus: 0, memoryGiB: 0 };
  for (const [name, [vcpus, , memoryGiB]] of Object.entries(INSTANCE_TABLE)) {
    if (instanceFamily(name) === family && vcpus > largest.vcpus) {
      largest = { vcpus, memoryGiB };
    }
  }
  return largest;
}
