/**
 * The reference data a form is checked against: departments, their systems and the taxonomy, with
 * lookups that fold width and spacing the way people type names.
 */
import { BUILD_LEVELS, labelOf } from '../domain/enums.js'
import { nameKey } from './normalise.js'

export interface ContextDepartment { id: number; name: string; shortName: string }
export interface ContextSystem { id: number; departmentId: number; name: string; buildLevel: string }
export interface ContextSubcategory { code: string; name: string }

export class FormContext {
  private readonly departmentsByKey = new Map<string, ContextDepartment>()
  private readonly subcategoriesByKey = new Map<string, ContextSubcategory>()
  private readonly systemsByKey = new Map<string, ContextSystem[]>()

  constructor(
    readonly departments: readonly ContextDepartment[],
    readonly systems: readonly ContextSystem[],
    readonly subcategories: readonly ContextSubcategory[],
    /** Annex-1 item names (长输管道 …) → their sub-category code. */
    subcategoryItems: readonly { name: string; subcategoryCode: string }[],
    /** The district the forms name departments with ("渝北区应急局" is also "区应急局"). */
    readonly districtName = '渝北区',
  ) {
    for (const d of departments) {
      const stem = districtName.replace(/[区县]$/, '')
      for (const alias of [d.name, d.shortName, d.name.startsWith(stem) ? d.name.slice(stem.length) : d.name, `${districtName}${d.name.replace(/^[区县]/, '')}`]) {
        this.departmentsByKey.set(nameKey(alias), d)
      }
    }
    for (const s of subcategories) {
      this.subcategoriesByKey.set(nameKey(s.name), s)
      this.subcategoriesByKey.set(nameKey(`${s.name}安全`), s)
    }
    for (const item of subcategoryItems) {
      const parent = subcategories.find((s) => s.code === item.subcategoryCode)
      if (!parent) continue
      for (const alias of [item.name, `${item.name}安全`]) {
        if (!this.subcategoriesByKey.has(nameKey(alias))) this.subcategoriesByKey.set(nameKey(alias), parent)
      }
    }
    for (const s of systems) {
      const list = this.systemsByKey.get(nameKey(s.name)) ?? []
      list.push(s)
      this.systemsByKey.set(nameKey(s.name), list)
    }
  }

  department(name: string): ContextDepartment | undefined {
    return this.departmentsByKey.get(nameKey(name))
  }

  departmentById(id: number): ContextDepartment | undefined {
    return this.departments.find((d) => d.id === id)
  }

  subcategory(name: string): ContextSubcategory | undefined {
    return this.subcategoriesByKey.get(nameKey(name))
  }

  /** A department's system by name, or the other departments' systems of that name. */
  system(departmentId: number, name: string): { own?: ContextSystem; elsewhere: ContextSystem[] } {
    const all = this.systemsByKey.get(nameKey(name)) ?? []
    return { own: all.find((s) => s.departmentId === departmentId), elsewhere: all.filter((s) => s.departmentId !== departmentId) }
  }

  systemsOf(departmentId: number): ContextSystem[] {
    return this.systems.filter((s) => s.departmentId === departmentId)
  }

  buildLevelLabel(code: string): string {
    return labelOf(BUILD_LEVELS, code)
  }
}
