/** An amount of money in the currency's minor unit (cents for EUR). Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}
