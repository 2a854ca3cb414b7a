/** The parts of the EC2 client the config evaluator uses: named exports let the bundler leave the rest of the client out. */
export { DescribeInstanceAttributeCommand, DescribeInstanceTypesCommand, EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
