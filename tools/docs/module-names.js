// Names each entry point's module after its package subpath ("core/src/runtime" becomes "@shmkit/core/runtime"),
// without a @module tag in the sources.
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = /^([\w-]+)\/src(?:\/(.+))?$/.exec(mod.name);
      if (match) mod.name = `@shmkit/${match[1]}${match[2] ? `/${match[2]}` : ""}`;
    }
  });
}
