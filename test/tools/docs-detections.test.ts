import * as fs from 'fs';
import { DETECTIONS } from '../../lib/catalog';
import { DETECTIONS_DOC, detectionsTable, withCurrentTable } from '../../tools/docs-detections';

const page = fs.readFileSync(DETECTIONS_DOC, 'utf8');

describe('docs/detections.md', () => {
  test('its detection table is the catalog\'s (run `npx projen docs:detections` after changing the catalog)', () => {
    expect(page).toBe(withCurrentTable(page));
  });

  test('lists every catalog id once, as the first cell of its row', () => {
    // GIVEN the ids in the first column of the table's rows
    const listed = [...page.matchAll(/^\| `([^`]+)` \|/gm)].map(([, id]) => id);

    // THEN they are the catalog's ids, in the catalog's order
    expect(listed).toEqual(DETECTIONS.map((d) => d.id));
  });

  test('the page starts with its title and replacing the table keeps everything around it', () => {
    expect(page.startsWith('# ')).toBe(true);
    const stale = page.replace(detectionsTable(), '| id |\n|---|');
    expect(withCurrentTable(stale)).toBe(page);
  });

  test('a page without the markers is refused, naming them', () => {
    expect(() => withCurrentTable('# Detections\n')).toThrow(/docs\/detections\.md lacks the markers <!-- detections:start/);
  });
});
