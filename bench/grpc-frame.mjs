// Writes one gRPC message frame (1 byte "not compressed", 4 bytes big-endian length, the protobuf
// message) to stdout, encoded by protobufjs from the real .proto file, for load tools and curl
// that send a fixed request body:
//
//   node bench/grpc-frame.mjs store  <Message> '<json>'   a message of protos/store/v1/store.proto
//   node bench/grpc-frame.mjs health <Message> '<json>'   a message of grpc.health.v1 (grpc-health-check's health.proto)
//
// JSON field names are the proto names (tenant_id), enums their names (SERVING).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const protos = {
  store: { file: join(dirname(fileURLToPath(import.meta.url)), '..', 'protos', 'store', 'v1', 'store.proto'), package: 'store.v1' },
  health: { file: join(dirname(require.resolve('grpc-health-check/package.json')), 'proto', 'health', 'v1', 'health.proto'), package: 'grpc.health.v1' },
};

const [protoName, messageName, json] = process.argv.slice(2);
const proto = protos[protoName];
if (!proto || !messageName || json === undefined) {
  console.error('usage: grpc-frame.mjs store|health <Message> <json>');
  process.exit(2);
}

const root = new protobuf.Root();
// store.proto imports google/protobuf/timestamp.proto, which protobufjs bundles.
root.resolvePath = (origin, target) => (target.startsWith('google/protobuf/') ? target : protobuf.util.path.resolve(origin, target));
await root.load(proto.file, { keepCase: true });
const type = root.lookupType(`${proto.package}.${messageName}`);
const message = type.fromObject(JSON.parse(json));
const bytes = type.encode(message).finish();
const frame = Buffer.alloc(5 + bytes.length);
frame.writeUInt32BE(bytes.length, 1);
Buffer.from(bytes).copy(frame, 5);
process.stdout.write(frame);
