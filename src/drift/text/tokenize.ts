/**
 * Words of a text as scikit-learn's `CountVectorizer` reads them (the analyzer Evidently's text drift runs): the text
 * lowercased, then every run of two or more word characters (`(?u)\b\w\w+\b`), then — for the classifier — English stop
 * words left out.
 *
 * Python's Unicode `\w` is a letter (L*), a number (Nd, Nl, No) or `_`; JavaScript's `\w` is ASCII only even with the
 * `u` flag, so the pattern is written with Unicode property classes. A maximal run of such characters is exactly what
 * `\b\w\w+\b` finds, so the two agree (checked against Python's `re` in `fixtures/text.json`).
 */

const WORD = /[\p{L}\p{N}_]{2,}/gu;
/** The same on text without any non-ASCII character, where it means the same and runs twice as fast. */
const ASCII_WORD = /[a-z0-9_]{2,}/g;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * scikit-learn's `ENGLISH_STOP_WORDS` (the Glasgow IR group's list) as of scikit-learn 1.6+: 317 distinct words.
 * Older releases spelled four entries `amoungst`, `couldnt`, `hasnt`, `noone`; the current list has `amongst`
 * (twice), `couldn't`, `hasn't`, `no one`, which the tokenizer can never produce. Note that `call`, `find`, `fire`,
 * `system`, `bill` and `interest` are on it.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'above', 'across', 'after', 'afterwards', 'again', 'against', 'all', 'almost', 'alone', 'along',
  'already', 'also', 'although', 'always', 'am', 'among', 'amongst', 'amount', 'an', 'and', 'another', 'any',
  'anyhow', 'anyone', 'anything', 'anyway', 'anywhere', 'are', 'around', 'as', 'at', 'back', 'be', 'became',
  'because', 'become', 'becomes', 'becoming', 'been', 'before', 'beforehand', 'behind', 'being', 'below', 'beside',
  'besides', 'between', 'beyond', 'bill', 'both', 'bottom', 'but', 'by', 'call', 'can', 'cannot', 'cant', 'co',
  'con', 'could', 'couldn\'t', 'cry', 'de', 'describe', 'detail', 'do', 'done', 'down', 'due', 'during', 'each',
  'eg', 'eight', 'either', 'eleven', 'else', 'elsewhere', 'empty', 'enough', 'etc', 'even', 'ever', 'every',
  'everyone', 'everything', 'everywhere', 'except', 'few', 'fifteen', 'fifty', 'fill', 'find', 'fire', 'first',
  'five', 'for', 'former', 'formerly', 'forty', 'found', 'four', 'from', 'front', 'full', 'further', 'get', 'give',
  'go', 'had', 'has', 'hasn\'t', 'have', 'he', 'hence', 'her', 'here', 'hereafter', 'hereby', 'herein', 'hereupon',
  'hers', 'herself', 'him', 'himself', 'his', 'how', 'however', 'hundred', 'i', 'ie', 'if', 'in', 'inc', 'indeed',
  'interest', 'into', 'is', 'it', 'its', 'itself', 'keep', 'last', 'latter', 'latterly', 'least', 'less', 'ltd',
  'made', 'many', 'may', 'me', 'meanwhile', 'might', 'mill', 'mine', 'more', 'moreover', 'most', 'mostly', 'move',
  'much', 'must', 'my', 'myself', 'name', 'namely', 'neither', 'never', 'nevertheless', 'next', 'nine', 'no',
  'nobody', 'none', 'no one', 'nor', 'not', 'nothing', 'now', 'nowhere', 'of', 'off', 'often', 'on', 'once', 'one',
  'only', 'onto', 'or', 'other', 'others', 'otherwise', 'our', 'ours', 'ourselves', 'out', 'over', 'own', 'part',
  'per', 'perhaps', 'please', 'put', 'rather', 're', 'same', 'see', 'seem', 'seemed', 'seeming', 'seems', 'serious',
  'several', 'she', 'should', 'show', 'side', 'since', 'sincere', 'six', 'sixty', 'so', 'some', 'somehow', 'someone',
  'something', 'sometime', 'sometimes', 'somewhere', 'still', 'such', 'system', 'take', 'ten', 'than', 'that', 'the',
  'their', 'them', 'themselves', 'then', 'thence', 'there', 'thereafter', 'thereby', 'therefore', 'therein',
  'thereupon', 'these', 'they', 'thick', 'thin', 'third', 'this', 'those', 'though', 'three', 'through',
  'throughout', 'thru', 'thus', 'to', 'together', 'too', 'top', 'toward', 'towards', 'twelve', 'twenty', 'two', 'un',
  'under', 'until', 'up', 'upon', 'us', 'very', 'via', 'was', 'we', 'well', 'were', 'what', 'whatever', 'when',
  'whence', 'whenever', 'where', 'whereafter', 'whereas', 'whereby', 'wherein', 'whereupon', 'wherever', 'whether',
  'which', 'while', 'whither', 'who', 'whoever', 'whole', 'whom', 'whose', 'why', 'will', 'with', 'within',
  'without', 'would', 'yet', 'you', 'your', 'yours', 'yourself', 'yourselves',
]);

/** Every word of `text`: lowercased runs of two or more letters, digits or underscores, in order, repeats kept. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  return lower.match(NON_ASCII.test(lower) ? WORD : ASCII_WORD) ?? [];
}

/** The words of `text` a TF-IDF model counts: `tokenize` less the stop words. */
export function contentWords(text: string, stopWords: ReadonlySet<string> = ENGLISH_STOP_WORDS): string[] {
  return tokenize(text).filter((w) => !stopWords.has(w));
}
