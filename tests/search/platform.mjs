// A platform (集约化) made of tests/fixtures/search: its site is the owner, and these
// files add two departments, a town and a department without documents. Shared by
// the Node tests of engine.js (departments.test.mjs) and the browser tests of the
// search page (tests/browser/platform-search.test.mjs).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const GUIDE = '+++\ntitle = "政府信息公开指南"\nversion = "2024"\neffective = 2024-01-01\n+++\n\n## 依申请公开\n\n向本机关申请。\n';
const doc = (fields, body) => `+++\n${fields}\n+++\n\n${body}\n`;

/** The town and wjw come before jyj by `order`, but a town is listed after every department. */
export const DEPARTMENTS = {
  "content/departments/jyj/department.toml": 'name = "某县教育局"\norg_code = "22222222-2"\norder = 2\n',
  "content/departments/jyj/guide/2024.md": GUIDE,
  "content/departments/jyj/docs/2024/xuexiao-paiwu.md": doc(
    'title = "关于学校实验室排污许可管理的通知"\nindex_no = "22222222-2-/2024-0520001"\ncategory = "gfxwj"\ndate = 2024-05-20',
    "各学校实验室废水排放应当依法取得排污许可。",
  ),
  "content/departments/jyj/docs/2023/zhaosheng.md": doc(
    'title = "2023年招生工作方案"\nindex_no = "22222222-2-/2023-0701001"\ncategory = "qtwj"\ndate = 2023-07-01',
    "招生工作按照公开公平的原则进行。",
  ),
  // In the owner's name, though the department's: its body is not its publisher's.
  "content/departments/jyj/docs/2024/lianhe.md": doc(
    'title = "关于联合开展校园周边排污检查的通知"\nindex_no = "22222222-2-/2024-0201001"\npublisher = "某市生态环境局"\ncategory = "xzxk"\ndate = 2024-02-01',
    "生态环境局与教育局联合检查校园周边企业排污情况。",
  ),
  "content/departments/wjw/department.toml": 'name = "某县卫生健康委员会"\norg_code = "44444444-4"\norder = 1\n',
  "content/departments/wjw/guide/2024.md": GUIDE,
  "content/departments/wjw/docs/2022/kongqi.md": doc(
    'title = "重污染天气健康防护提示"\nindex_no = "44444444-4-/2022-1201001"\ncategory = "kqzl"\ndate = 2022-12-01',
    "空气重污染期间减少户外活动,排污企业周边居民注意防护。",
  ),
  "content/departments/town-b/department.toml": 'name = "某镇人民政府"\norg_code = "33333333-3"\nkind = "乡镇"\norder = 1\n',
  "content/departments/town-b/guide/2024.md": GUIDE,
  "content/departments/town-b/docs/2024/paiwu.md": doc(
    'title = "某镇排污许可办理指引"\nindex_no = "33333333-3-/2024-0315001"\npublisher = "某镇经济发展办公室"\ncategory = "xzxk"\ndate = 2024-03-15',
    "镇内企业申请排污许可,可到镇便民服务中心咨询。",
  ),
  "content/departments/sfj/department.toml": 'name = "某县司法局"\norg_code = "55555555-5"\norder = 3\n',
  "content/departments/sfj/guide/2024.md": GUIDE,
};

/** Writes `files` (path → text) under `root`. */
export function writeFiles(root, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
