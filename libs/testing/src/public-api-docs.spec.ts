import { join } from 'node:path';
import ts from 'typescript';

// STYLE.md: every public export of a lib carries TSDoc with an @example. Read from the compiler's
// view of index.ts, so a new export without one fails here.
function exportsWithoutExample(): { all: string[]; missing: string[] } {
  const indexFile = join(__dirname, 'index.ts');
  const program = ts.createProgram([indexFile], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    resolveJsonModule: true,
    experimentalDecorators: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(indexFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('index.ts is not a module');
  const all: string[] = [];
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    all.push(exported.name);
    const hasExample = (symbol.declarations ?? []).some((declaration) =>
      ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'),
    );
    if (!hasExample) missing.push(exported.name);
  }
  return { all, missing };
}

describe('@member-phone/testing public API', () => {
  it('documents every export of index.ts with TSDoc carrying an @example', () => {
    const { all, missing } = exportsWithoutExample();
    expect(all).toEqual(expect.arrayContaining(['mockMemberPhoneApi', 'useMemberPhoneApi', 'SCENARIOS']));
    expect(missing).toEqual([]);
  });
});
