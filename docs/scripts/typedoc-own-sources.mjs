// @ts-check
import { Converter } from 'typedoc'

/**
 * Source links point into the repository; members inherited from Node or TypeScript's own types
 * (`Error.captureStackTrace`, `EventEmitter.on`) live in node_modules, which is not in it: such
 * members keep their docs and lose only the link that would be broken.
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      if ('sources' in reflection && Array.isArray(reflection.sources)) {
        reflection.sources = reflection.sources.filter((source) => !source.fullFileName.includes('/node_modules/'))
      }
    }
  })
}
