import { describe, expect, it } from 'vitest';

import {
  ancestorsOf,
  childrenOf,
  findRegion,
  isKnownRegion,
  parentOf,
  parseVillageCode,
  regionName,
  valueIssueOf,
  YUEYANG_CITY,
  YUEYANG_COUNTIES,
  YUEYANG_REGIONS,
  YUEYANG_TOWNSHIPS,
  YUEYANG_VILLAGES,
  ZRegionCode,
  ZVillageCode,
} from '../../src/values/index.js';

describe('Yueyang dataset', () => {
  it('when looking up the city, then 4306 and its padded forms are 岳阳市', () => {
    expect(regionName('4306')).toBe('岳阳市');
    expect(regionName('430600')).toBe('岳阳市');
    expect(regionName('430600000000')).toBe('岳阳市');
    expect(regionName('43')).toBe('湖南省');
    expect(YUEYANG_CITY.parentCode).toBe('43');
  });

  it('when a name is asked in English, then the English name is given where the directory has one, else the Chinese', () => {
    expect(regionName('4306', 'en')).toBe('Yueyang');
    expect(regionName('430626', 'en')).toBe('Pingjiang County');
    expect(regionName('430626101', 'en')).toBe('Anding Town');
    expect(regionName('430626101', 'zh')).toBe('安定镇');
    for (const region of [...YUEYANG_TOWNSHIPS, ...YUEYANG_VILLAGES])
      expect(regionName(region.code, 'en'), region.code).toBe(region.nameEn ?? region.name);
    expect(regionName('x', 'en')).toBeUndefined();
  });

  it.each([
    ['430602', '岳阳楼区'],
    ['430603', '云溪区'],
    ['430611', '君山区'],
    ['430621', '岳阳县'],
    ['430623', '华容县'],
    ['430624', '湘阴县'],
    ['430626', '平江县'],
    ['430681', '汨罗市'],
    ['430682', '临湘市'],
  ])('when looking up GB/T 2260 county %s, then it is %s', (code, name) => {
    expect(findRegion(code)).toMatchObject({ code, name, level: 'county', parentCode: '4306' });
  });

  it('when listing the management areas, then 屈原, 经开区 and 南湖新区 are at county level in 43067x', () => {
    const areas = YUEYANG_COUNTIES.filter((county) => county.kind === 'management_area');
    expect(areas.map((area) => [area.code, area.name])).toEqual([
      ['430671', '屈原管理区'],
      ['430672', '岳阳经济技术开发区'],
      ['430673', '南湖新区'],
    ]);
    expect(findRegion('430672')?.aliases).toContain('经开区');
  });

  it('when listing the children of the city, then all twelve county-level units come back', () => {
    expect(
      childrenOf('4306')
        .map((region) => region.code)
        .sort(),
    ).toEqual(YUEYANG_COUNTIES.map((county) => county.code).sort());
    expect(childrenOf('4306')).toHaveLength(12);
  });

  it('when counting townships, then every county-level unit has at least 4', () => {
    for (const county of YUEYANG_COUNTIES) {
      expect(childrenOf(county.code).length, county.name).toBeGreaterThanOrEqual(4);
    }
  });

  it('when counting villages, then every township has at least 3', () => {
    for (const township of YUEYANG_TOWNSHIPS) {
      expect(childrenOf(township.code).length, township.name).toBeGreaterThanOrEqual(3);
    }
  });

  it('when checking every record, then its code is canonical, unique, of its level and under its parent', () => {
    const lengths = { province: 2, prefecture: 4, county: 6, township: 9, village: 12 } as const;
    const codes = new Set<string>();
    for (const region of YUEYANG_REGIONS) {
      expect(codes.has(region.code), region.code).toBe(false);
      codes.add(region.code);
      expect(region.code).toMatch(/^\d+$/);
      expect(region.code).toHaveLength(lengths[region.level]);
      expect(parentOf(region.code)).toBe(region.parentCode);
      if (region.parentCode !== null) expect(isKnownRegion(region.parentCode), region.code).toBe(true);
    }
  });

  it('when checking names within one parent, then no two siblings share a name', () => {
    for (const parent of YUEYANG_REGIONS) {
      const names = childrenOf(parent.code).map((child) => child.name);
      expect(new Set(names).size, parent.name).toBe(names.length);
    }
  });

  it('when checking village-level names, then villages end in 村 and communities in 社区', () => {
    for (const village of YUEYANG_VILLAGES) {
      expect(village.name).toMatch(village.kind === 'village' ? /村$/ : /社区$/);
    }
  });

  it('when looking for places named in the 2018 reply, then they are present', () => {
    const changhu = YUEYANG_TOWNSHIPS.find((township) => township.name === '长湖乡');
    expect(changhu?.parentCode).toBe('430621');
    expect(childrenOf(changhu?.code ?? '').map((village) => village.name)).toContain('范家村');
    const pingjiang = childrenOf('430626').map((township) => township.name);
    expect(pingjiang).toEqual(expect.arrayContaining(['汉昌街道', '三阳乡', '三墩乡', '加义镇', '长寿镇']));
    expect(childrenOf('430621').map((township) => township.name)).toContain('荣家湾镇');
    expect(childrenOf('430672').map((township) => township.name)).toContain('三荷乡');
  });

  it('when the code is unknown or malformed, then lookups answer nothing rather than throwing', () => {
    expect(findRegion('430699')).toBeUndefined();
    expect(regionName('x')).toBeUndefined();
    expect(isKnownRegion('440305')).toBe(false);
    expect(childrenOf('430699')).toEqual([]);
    expect(childrenOf('nonsense')).toEqual([]);
  });

  it('when walking up from a known village, then every ancestor has a name', () => {
    const village = YUEYANG_VILLAGES[0];
    expect(village).toBeDefined();
    for (const ancestor of ancestorsOf(village?.code ?? '')) expect(regionName(ancestor)).toBeTruthy();
  });
});

describe('ZRegionCode', () => {
  it('when the code is known at any level, then it is accepted in canonical form', () => {
    expect(ZRegionCode.parse('430600000000')).toBe('4306');
    expect(ZRegionCode.parse('430626')).toBe('430626');
    expect(ZRegionCode.parse('430626101000')).toBe('430626101');
  });

  it('when the code is well formed but unknown, then "unknown region code" in both languages', () => {
    const result = ZRegionCode.safeParse('430699');
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.message).toBe('unknown region code 430699');
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'unknown_region',
      message: 'unknown region code 430699',
      messageZh: '未知的行政区划代码430699',
    });
  });

  it('when the code is malformed, then the format error is reported', () => {
    const issue = ZRegionCode.safeParse('43o626').error?.issues[0];
    expect(issue && valueIssueOf(issue).code).toBe('bad_characters');
  });
});

describe('ZVillageCode', () => {
  it('when the code is a known 12-digit village, then it is accepted', () => {
    const village = YUEYANG_VILLAGES.find((region) => region.name === '范家村');
    expect(village).toBeDefined();
    expect(ZVillageCode.parse(village?.code)).toBe(village?.code);
  });

  it('when the code is a known township, then not_a_village in both languages', () => {
    const issue = ZVillageCode.safeParse('430626101').error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'not_a_village',
      message: 'region code 430626101 is a township; a 12-digit village code is required',
      messageZh: '行政区划代码430626101是乡镇级代码，应为12位村级代码',
    });
  });

  it('when a township is written in padded 12-digit form, then it is still not a village', () => {
    expect(parseVillageCode('430626101000')).toMatchObject({ ok: false, error: { code: 'not_a_village' } });
  });

  it('when the village code is unknown, then unknown_region', () => {
    const issue = ZVillageCode.safeParse('430626101299').error?.issues[0];
    expect(issue && valueIssueOf(issue)).toMatchObject({
      code: 'unknown_region',
      messageZh: '未知的行政区划代码430626101299',
    });
  });

  it('when the input is not a string, then a bilingual type error', () => {
    const issue = ZVillageCode.safeParse(430626101201).error?.issues[0];
    expect(issue && valueIssueOf(issue)).toMatchObject({ code: 'invalid_type', messageZh: '应为文本' });
  });
});

describe('English names of townships and villages', () => {
  const UNIT: Record<string, string> = {
    street: 'Subdistrict',
    town: 'Town',
    township: 'Township',
    community: 'Community',
    village: 'Village',
  };

  it('when a township or village is looked up, then it has its pinyin name as one word and its unit in English', () => {
    for (const region of [...YUEYANG_TOWNSHIPS, ...YUEYANG_VILLAGES]) {
      expect(region.nameEn, `${region.code} ${region.name}`).toMatch(
        new RegExp(`^[A-Z][a-zü]*('[aoe][a-zü]*)* ${UNIT[region.kind]}$`),
      );
    }
    expect(findRegion('430602002')?.nameEn).toBe('Dongting Subdistrict');
    expect(findRegion('430602005')?.nameEn).toBe("Jin'eshan Subdistrict"); // 金鹗山: the apostrophe before e
    expect(findRegion('430602004')?.nameEn).toBe('Lüxianting Subdistrict'); // 吕仙亭
    const changhu = YUEYANG_TOWNSHIPS.find((t) => t.name === '长湖乡');
    expect(changhu?.nameEn).toBe('Changhu Township');
    const fanjia = YUEYANG_VILLAGES.find((v) => v.name === '范家村' && v.parentCode === changhu?.code);
    expect(fanjia?.nameEn).toBe('Fanjia Village');
  });
});
