'use strict';
// Interoperability check run by the Java IT io.fibflow.embedded.NodeConfluentClientIT.
// Confluent's own JavaScript Schema Registry client and Avro serde, with kafkajs, against
// fibflow's broker and registry:
//   1. registry conformance through Confluent's client (register, lookup, get by id,
//      subjects, versions, latest, compatibility true/false, 409 on an incompatible register);
//   2. reads the Task the Java serializer wrote to IN_TOPIC and prints it as JSON;
//   3. writes a Task with Confluent's Avro serializer to OUT_TOPIC for the Java deserializer.
// Every step prints one JSON line on stdout; any failure exits non-zero with the reason.
const fs = require('fs');
const { Kafka, logLevel } = require('kafkajs');
const {
  SchemaRegistryClient, SerdeType, AvroSerializer, AvroDeserializer,
} = require('@confluentinc/schemaregistry');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
};

const bootstrap = env('FIBFLOW_BOOTSTRAP_SERVERS').split(',');
const registryUrl = env('FIBFLOW_SCHEMA_REGISTRY_URL');
const taskSchema = fs.readFileSync(env('TASK_SCHEMA_FILE'), 'utf8');
const inTopic = env('IN_TOPIC');
const outTopic = env('OUT_TOPIC');
const outTaskId = env('OUT_TASK_ID');
const checkSubject = env('CHECK_SUBJECT');

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

async function registryChecks(registry) {
  const v1 = { type: 'record', name: 'Probe', namespace: 'io.fibflow.interop',
    fields: [{ name: 'a', type: 'string' }] };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'b', type: 'int', default: 0 }] };
  const bad = { ...v1, fields: [{ name: 'a', type: 'int' }] };
  const info = (s) => ({ schemaType: 'AVRO', schema: JSON.stringify(s) });

  await registry.updateConfig(checkSubject, { compatibility: 'BACKWARD' });
  const id1 = await registry.register(checkSubject, info(v1));
  const again = await registry.register(checkSubject, info(v1));
  if (again !== id1) throw new Error(`same schema registered twice got ids ${id1} and ${again}`);
  const looked = await registry.getId(checkSubject, info(v1));
  if (looked !== id1) throw new Error(`lookup gave id ${looked}, expected ${id1}`);
  const byId = await registry.getBySubjectAndId(checkSubject, id1);
  if (JSON.parse(byId.schema).name !== 'Probe') throw new Error(`get by id returned ${byId.schema}`);
  if (!(await registry.testSubjectCompatibility(checkSubject, info(v2)))) {
    throw new Error('a compatible schema (new field with default) was reported incompatible');
  }
  if (await registry.testSubjectCompatibility(checkSubject, info(bad))) {
    throw new Error('an incompatible schema (string -> int) was reported compatible');
  }
  const id2 = await registry.register(checkSubject, info(v2));
  let conflict = null;
  try {
    await registry.register(checkSubject, info(bad));
  } catch (e) {
    conflict = e;
  }
  if (conflict == null) throw new Error('registering an incompatible schema did not fail');
  const status = conflict.status ?? conflict.response?.status;
  const errorCode = conflict.errorCode;
  if (status !== 409 && errorCode !== 409) {
    throw new Error(`incompatible register failed with status ${status} / error code ${errorCode}, expected 409: ${conflict.message}`);
  }
  const versions = await registry.getAllVersions(checkSubject);
  const latest = await registry.getLatestSchemaMetadata(checkSubject);
  const subjects = await registry.getAllSubjects();
  if (!subjects.includes(checkSubject)) throw new Error(`subjects ${subjects} lack ${checkSubject}`);
  if (versions.length !== 2 || latest.id !== id2 || latest.version !== versions[1]) {
    throw new Error(`versions ${versions}, latest ${JSON.stringify(latest)}, expected 2 versions ending in id ${id2}`);
  }
  emit({ step: 'registry', ok: true, ids: [id1, id2], versions, conflictStatus: status ?? errorCode });
}

async function readJavaTask(kafka, registry) {
  const deser = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const consumer = kafka.consumer({ groupId: `interop-node-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: inTopic, fromBeginning: true });
  const task = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no record on ${inTopic} within 60 s`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const value = await deser.deserialize(inTopic, message.value);
          clearTimeout(timer);
          resolve({ key: message.key.toString(), schemaId: message.value.readInt32BE(1), magic: message.value[0], value });
        } catch (e) {
          clearTimeout(timer);
          reject(e);
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  const v = task.value;
  emit({
    step: 'read-java', ok: true, key: task.key, magic: task.magic, schemaId: task.schemaId,
    id: v.id, name: v.name, capability: v.capability, epoch: Number(v.epoch),
    payloadEncoding: v.payload.encoding, payloadData: Buffer.from(v.payload.data).toString('utf8'),
    tag: v.tag, childResults: v.childResults.length,
  });
}

async function writeNodeTask(kafka, registry) {
  const subject = `${outTopic}-value`;
  await registry.register(subject, { schemaType: 'AVRO', schema: taskSchema });
  const ser = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
  const task = {
    id: outTaskId,
    name: 'node_task',
    capability: 'default',
    payload: { encoding: 'json/plain', data: Buffer.from('{"from":"node"}'), metadata: { lang: 'js' } },
    stage: 1,
    attempt: 2,
    maxAttempts: 5,
    retryPolicy: null,
    timeoutMs: 30000,
    priority: 0,
    tag: 'interop',
    parentId: null,
    rootId: null,
    parentStage: null,
    parentEpoch: null,
    idempotencyKey: null,
    createdAt: Date.now(),
    notBefore: null,
    context: null,
    childResults: [],
    scheduleId: null,
    traceHeaders: {},
    epoch: 7,
  };
  const bytes = await ser.serialize(outTopic, task);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: outTopic, acks: -1, messages: [{ key: outTaskId, value: bytes }] });
  await producer.disconnect();
  emit({ step: 'write-node', ok: true, bytes: bytes.length, magic: bytes[0], schemaId: bytes.readInt32BE(1) });
}

async function main() {
  const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });
  const kafka = new Kafka({ clientId: 'fibflow-interop-node', brokers: bootstrap, logLevel: logLevel.WARN });
  await registryChecks(registry);
  await readJavaTask(kafka, registry);
  await writeNodeTask(kafka, registry);
  emit({ step: 'done', ok: true });
}

main().then(() => process.exit(0)).catch((e) => {
  emit({ step: 'error', ok: false, message: String(e && e.stack || e) });
  process.exit(1);
});
