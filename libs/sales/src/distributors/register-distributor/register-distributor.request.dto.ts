import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsId } from '../../../../platform/src/http/validators';
import { RegisterCustomerRequestDto } from '../../customers/register-customer/register-customer.request.dto';

/** A customer's registration body, with `distributorId` instead of `customerId`. */
export class RegisterDistributorRequestDto extends OmitType(RegisterCustomerRequestDto, ['customerId'] as const) {
  @ApiProperty({ example: 'D1' })
  @IsId()
  distributorId!: string;
}
