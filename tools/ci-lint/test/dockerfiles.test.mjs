// Static checks of the service Dockerfiles and their build context (no Docker engine
// here): Native AOT through scripts/publish-aot.sh, a cached restore layer, and a final
// stage that is the chiseled runtime-deps image running the binary as a non-root user.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { services, touchedServices } from '../../../.github/scripts/services.mjs';
import { contextFilter } from './support/dockerignore.mjs';
import { readRepoFile, repoRoot } from './support/repo.mjs';

const inContext = contextFilter(readRepoFile('.dockerignore'));
const trackedFiles = execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

/** Instructions grouped by stage: [{ from, name, instructions }]. */
function stages(project) {
  const dockerfile = DockerfileParser.parse(readRepoFile(`${project}/Dockerfile`));
  const result = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      result.push({ from: instruction.getImage(), name: instruction.getBuildStage(), instructions: [] });
    } else {
      assert.ok(result.length > 0, `${project}/Dockerfile: ${instruction.getKeyword()} before FROM`);
      result.at(-1).instructions.push(instruction);
    }
  }
  return result;
}

const keyword = (k) => (instruction) => instruction.getKeyword() === k;
const args = (instruction) => instruction.getArguments().map((a) => a.getValue());
const flag = (instruction, name) => instruction.getFlags().find((f) => f.getName() === name)?.getValue();

for (const { name: service, project } of services) {
  describe(`${project}/Dockerfile`, () => {
    const all = stages(project);
    const build = all[0];
    const final = all.at(-1);

    test('is multi-stage: an AOT SDK build stage and a separate final stage', () => {
      assert.equal(all.length, 2);
      assert.match(build.from, /^mcr\.microsoft\.com\/dotnet\/sdk:10\.0(\.\d+)?-noble-aot(@sha256:[0-9a-f]{64})?$/);
      assert.equal(build.name, 'build');
    });

    test('the final stage is the chiseled runtime-deps image pinned to a 10.0 tag', () => {
      assert.match(final.from, /^mcr\.microsoft\.com\/dotnet\/runtime-deps:10\.0(\.\d+)?-noble-chiseled(@sha256:[0-9a-f]{64})?$/);
    });

    test('the final stage runs nothing (the base has no shell) and has no HEALTHCHECK', () => {
      assert.deepEqual(final.instructions.filter(keyword('RUN')), []);
      for (const stage of all) assert.deepEqual(stage.instructions.filter(keyword('HEALTHCHECK')), []);
    });

    test('the final stage runs as the numeric non-root app user', () => {
      const users = final.instructions.filter(keyword('USER')).map((u) => args(u).join(' '));
      assert.deepEqual(users, ['1654']);
    });

    test(`the entrypoint is the AOT binary ./${project} in exec form`, () => {
      const [entrypoint] = final.instructions.filter(keyword('ENTRYPOINT'));
      assert.deepEqual(entrypoint.getJSONStrings().map((s) => s.getJSONValue()), [`./${project}`]);
      const [workdir] = final.instructions.filter(keyword('WORKDIR'));
      assert.deepEqual(args(workdir), ['/app']);
      const copies = final.instructions.filter(keyword('COPY'));
      assert.deepEqual(copies.map((c) => [flag(c, 'from'), ...args(c)]), [['build', '/app/', './']]);
    });

    test('exposes 8080 (service) and 9090 (metrics) and configures those ports', () => {
      const exposed = final.instructions.filter(keyword('EXPOSE')).flatMap(args);
      assert.deepEqual(exposed.sort(), ['8080', '9090']);
      const env = Object.fromEntries(final.instructions.filter(keyword('ENV'))
        .flatMap((e) => e.getProperties().map((p) => [p.getName(), p.getValue()])));
      assert.equal(env.ASPNETCORE_HTTP_PORTS, '8080');
      assert.equal(env.Management__Port, '9090');
      assert.equal(env.ASPNETCORE_URLS, undefined, 'ASPNETCORE_URLS would override the port settings');
    });

    test('restores before copying sources, through the shared publish script', () => {
      const runs = build.instructions.filter(keyword('RUN'));
      assert.equal(runs.length, 2);
      assert.equal(runs[0].getArgumentsContent(), `scripts/publish-aot.sh --restore-only ${project}`);
      const beforeRestore = build.instructions.slice(0, build.instructions.indexOf(runs[0]));
      const restoreInputs = beforeRestore.filter(keyword('COPY')).flatMap((c) => args(c).slice(0, -1));
      assert.deepEqual(restoreInputs.sort(), [
        '.editorconfig',
        'Directory.Build.props',
        'Directory.Packages.props',
        `${project}/${project}.csproj`,
        'ServiceDefaults/ServiceDefaults.csproj',
        'Shared.Canary/Shared.Canary.csproj',
        'Store.Contracts/Store.Contracts.csproj',
        'global.json',
        'scripts/publish-aot.sh',
      ].sort());
    });

    test('publishes with the same script the test command uses, never a second dotnet publish', () => {
      const publish = build.instructions.filter(keyword('RUN'))[1].getArgumentsContent();
      assert.match(publish, new RegExp(`^scripts/publish-aot\\.sh ${project} /app\\s`));
      assert.doesNotMatch(readRepoFile(`${project}/Dockerfile`), /dotnet publish/);
    });

    test('every file it copies is in the build context', () => {
      const sources = build.instructions.filter(keyword('COPY')).flatMap((c) => args(c).slice(0, -1));
      for (const source of sources) {
        const files = source.endsWith('/')
          ? trackedFiles.filter((f) => f.startsWith(source))
          : [source];
        assert.ok(files.length > 0, `${source} matches no tracked file`);
        for (const file of files) assert.ok(inContext(file), `${file} (from COPY ${source}) is excluded by .dockerignore`);
      }
    });

    test(`a change to any file of its build context rebuilds ${service} in PR canaries`, () => {
      const inputs = trackedFiles.filter(inContext).filter((f) => !/^(Api|Store)Service\//.test(f) || f.startsWith(`${project}/`));
      assert.ok(inputs.length > 5);
      for (const file of inputs) assert.ok(touchedServices([file]).includes(service), file);
    });
  });
}

describe('.dockerignore', () => {
  test('keeps tests, tooling, manifests, docs, VCS data and build output out of the context', () => {
    for (const path of [
      '.git/HEAD',
      'tests/ApiService.Tests/ApiService.Tests.csproj',
      'tools/ci-lint/node_modules/yaml/package.json',
      'manifests-microservices/README.md',
      'extension-canary/manifest.json',
      'docs/delivery.md',
      'scripts/test',
      'ApiService/bin/Release/net10.0/ApiService.dll',
      'StoreService/obj/project.assets.json',
      'Shared.Canary/obj/Release/net10.0/Shared.Canary.dll',
    ]) {
      assert.equal(inContext(path), false, path);
    }
  });

  test('files outside the context rebuild nothing', () => {
    for (const path of ['docs/delivery.md', 'tests/ApiService.Tests/ApiService.Tests.csproj', 'README.md']) {
      assert.deepEqual(touchedServices([path]), [], path);
    }
  });
});
