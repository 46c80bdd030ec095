// What a campaign's stored samples look like to the statistics, for the benchmarks' bulk fills:
// regions spread over the whole country and samples attributed to initiating units, and the
// statistics shards those samples would have built, so that a server "with a million responses
// stored" also holds shards of the size a million samples make (every city, every unit, every
// day in each of the 128), not the near-empty ones a fresh file has. A submission's increment
// works on the stored text of its shard, and its cost grows with the text.
import {
  chinaDayKey,
  countInto,
  counterPaths,
  shardOf,
  STAT_SHARDS,
  statShardId,
  type RegionAnswer,
} from 'wal-core'

/** The 34 province-level divisions (real codes and names) and their prefecture-level city counts. */
const PROVINCES: ReadonlyArray<readonly [string, string, number]> = [
  ['11', '北京市', 1],
  ['12', '天津市', 1],
  ['13', '河北省', 11],
  ['14', '山西省', 11],
  ['15', '内蒙古自治区', 12],
  ['21', '辽宁省', 14],
  ['22', '吉林省', 9],
  ['23', '黑龙江省', 13],
  ['31', '上海市', 1],
  ['32', '江苏省', 13],
  ['33', '浙江省', 11],
  ['34', '安徽省', 16],
  ['35', '福建省', 9],
  ['36', '江西省', 11],
  ['37', '山东省', 16],
  ['41', '河南省', 17],
  ['42', '湖北省', 13],
  ['43', '湖南省', 14],
  ['44', '广东省', 21],
  ['45', '广西壮族自治区', 14],
  ['46', '海南省', 4],
  ['50', '重庆市', 1],
  ['51', '四川省', 21],
  ['52', '贵州省', 9],
  ['53', '云南省', 16],
  ['54', '西藏自治区', 7],
  ['61', '陕西省', 10],
  ['62', '甘肃省', 14],
  ['63', '青海省', 8],
  ['64', '宁夏回族自治区', 5],
  ['65', '新疆维吾尔自治区', 14],
  ['71', '台湾省', 1],
  ['81', '香港特别行政区', 1],
  ['82', '澳门特别行政区', 1],
]

/**
 * One region per prefecture-level city: the province's real code, cities numbered within it the
 * way the real codes are (`4401`, `4402`, …), named after their code (the fill needs the count and
 * the shape, not the names).
 */
export const COUNTRY: readonly RegionAnswer[] = PROVINCES.flatMap(([pp, provinceName, cities]) =>
  Array.from({ length: cities }, (_, i) => {
    const cityCode = `${pp}${String(i + 1).padStart(2, '0')}00`
    return { provinceCode: `${pp}0000`, provinceName, cityCode, cityName: `城市${cityCode}` }
  }),
)

/** Initiating units the fill attributes samples to. */
export const FILL_UNITS = 100

/** Where a stored sample is from and the initiating unit it came through, if any. */
export interface FillFacts {
  region: RegionAnswer
  unitId: string | null
}

/** A stored sample, as far as the statistics go. */
export interface FilledSample extends FillFacts {
  openid: string
  submittedAt: Date
}

/** The i-th stored sample's region and unit: every city and unit in turn, 7 in 10 through a unit. */
export function fillFacts(i: number): FillFacts {
  return {
    region: COUNTRY[(i * 7919) % COUNTRY.length]!,
    unitId: i % 10 < 7 ? `unit${(Math.floor(i / 10) * 37) % FILL_UNITS}` : null,
  }
}

/** Accumulates the shards the samples would have built through submissions, one at a time. */
export class ShardFill {
  private readonly shards = new Map<number, Record<string, unknown>>()

  add(sample: FilledSample): void {
    const paths = counterPaths({
      valid: true,
      day: chinaDayKey(sample.submittedAt.getTime()),
      provinceCode: sample.region.provinceCode,
      cityCode: sample.region.cityCode,
      ...(sample.unitId ? { unitId: sample.unitId } : {}),
    })
    const shard = shardOf(sample.openid, STAT_SHARDS)
    let doc = this.shards.get(shard)
    if (!doc) this.shards.set(shard, (doc = {}))
    countInto(doc, paths)
  }

  /** The shard documents, as the survey function names and shapes them. */
  docs(campaignId: string): Array<Record<string, unknown>> {
    return [...this.shards].map(([shard, counters]) => ({
      _id: statShardId(campaignId, shard),
      campaignId,
      shard,
      ...counters,
    }))
  }
}
